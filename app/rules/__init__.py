"""Pure rule modules: no database, no Qt, no clock."""

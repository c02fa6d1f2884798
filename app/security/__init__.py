"""Keys and unlocking: the recovery key, where it is kept, and how a store is opened with it."""

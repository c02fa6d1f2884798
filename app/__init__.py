"""Vertrouwd: the domain, the encrypted store, the rules and the command line (no Qt here)."""

__version__ = "0.1.0"
APP_NAME = "Vertrouwd"
APP_ID = "nl.vertrouwd.Vertrouwd"

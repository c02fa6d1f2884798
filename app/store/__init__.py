"""The encrypted store: one SQLCipher 4 file, its migrations and its repositories."""

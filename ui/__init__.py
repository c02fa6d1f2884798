"""The Qt face of Vertrouwd: windows, wizards and dialogs over `app/` (no SQL, no rules here)."""

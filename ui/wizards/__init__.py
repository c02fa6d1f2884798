"""QWizard flows: set-up now; intake, escalation, annual report and backup as they land."""

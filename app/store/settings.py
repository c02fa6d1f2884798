"""The school's settings, kept inside the encrypted store (never in a plain settings file)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from app.store.db import Store

REGIONS = ("noord", "midden", "zuid")


@dataclass
class Settings:
    school: str = ""
    location: str = ""
    region: str = "zuid"
    vp_name: str = ""
    retention_years: int = 1
    board_name: str = ""  # the school board (bevoegd gezag): the controller under the AVG
    retention_years_meldcode: int = 5  # files with a meldcode route (the school's choice)
    safety_copy_days: int = 30  # migration and restore safety copies are removed after this
    backup_dir: str = ""
    backup_generations: int = 10
    backup_warn_days: int = 7
    lock_minutes: int = 5
    no_contact_weeks: int = 6
    school_holidays: bool = True
    study_days: list[str] = field(default_factory=list)
    # School holidays typed in by the VP for years the program does not know, as
    # "YYYY-MM-DD/YYYY-MM-DD" periods (first and last day).
    own_holidays: list[str] = field(default_factory=list)
    report_threshold: int = 5
    board_requires_minor: bool = True
    language: str = "nl"
    # Names the escalation texts use besides board_name (empty: a neutral wording, see
    # app.rules.escalation_table.PLACEHOLDERS)
    complaints_scheme: str = ""
    complaints_committee: str = ""
    appeal_rules: str = ""

    def rule_names(self) -> dict[str, str]:
        """The names for the {placeholders} of the escalation rule texts."""
        return {
            "board_name": self.board_name,
            "complaints_scheme": self.complaints_scheme,
            "complaints_committee": self.complaints_committee,
            "appeal_rules": self.appeal_rules,
        }


def load_settings(store: Store) -> Settings:
    raw = {row[0]: row[1] for row in store.query("SELECT name, value FROM setting")}
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in raw:
            try:
                values[f.name] = json.loads(raw[f.name])
            except ValueError:
                continue
    settings = Settings(**values)
    if settings.region not in REGIONS:
        settings.region = "zuid"
    settings.report_threshold = max(5, int(settings.report_threshold))
    settings.lock_minutes = max(1, int(settings.lock_minutes))
    settings.retention_years_meldcode = max(
        int(settings.retention_years), int(settings.retention_years_meldcode)
    )
    settings.safety_copy_days = max(1, min(30, int(settings.safety_copy_days)))
    return settings


def save_settings(store: Store, settings: Settings) -> None:
    """Store `settings`; ValidationError (nothing stored) for a name that breaks the rule of
    app.domain.names."""
    from app.domain.names import check_settings_names

    check_settings_names(settings.school, settings.location, settings.board_name)
    with store.transaction() as conn:
        for name, value in asdict(settings).items():
            conn.execute(
                "INSERT INTO setting(name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, json.dumps(value, ensure_ascii=False)),
            )

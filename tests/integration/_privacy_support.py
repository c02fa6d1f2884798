"""Helpers for the retention, access-export, re-key and handover tests (no fixtures here).

* `marked_case` builds, through the real services, a case with a unique marker word in every
  place a text can live: the request note, the story, the help question, a conversation, a
  corrected (superseded) entry and its correction, an escalation check's motivations, a
  meldcode step, an afweging's motivations, a completed obligation's note and the closing note.
* `decrypted_pages` decrypts every page of a SQLCipher 4 file with the default settings
  (PBKDF2-HMAC-SHA512, 256,000 iterations, AES-256-CBC, HMAC-SHA512 per page) *without*
  SQLite: the bytes it returns include free pages and the unused space inside pages, so "the
  text is not in them" means the pages were overwritten (QUALITY R13), not merely unlinked.
* `plaintext_export` makes a plaintext copy with `sqlcipher_export` (test only, in tmp_path).
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from app.clock import FixedClock
from app.domain.models import EntryData, Intake, PupilData
from app.services.cases import close_case, open_case
from app.services.drafts import save_draft
from app.services.entries import add_conversation, correct_entry
from app.services.escalation import case_obligations, complete_obligation, record_check
from app.services.meldcode import record_afweging, record_step
from app.services.requests import register_request
from app.store.db import Store
from app.store.settings import Settings

PAGE_SIZE = 4096
RESERVE = 80  # 16 bytes IV + 64 bytes HMAC-SHA512


@dataclass
class Marked:
    case_id: int
    pupil_id: int
    pupil_name: str
    request_id: int
    markers: list[str] = field(default_factory=list)


def marked_case(
    store: Store,
    tag: str,
    *,
    opened_on: date,
    closed_on: date | None,
    settings: Settings | None = None,
    drafts: bool = True,
) -> Marked:
    """A case (closed on `closed_on`, or open) whose every text holds a word `zq<tag>…`."""
    settings = settings or Settings()
    clock = FixedClock(datetime.combine(opened_on, time(10, 0)))
    words = {
        name: f"zq{tag}{name}"
        for name in (
            "request",
            "story",
            "question",
            "talk",
            "wrong",
            "right",
            "why",
            "doubt",
            "step",
            "weigh",
            "duty",
            "close",
        )
    }
    name = f"Zqpupil{tag.capitalize()} Testleerling"
    request = register_request(
        store,
        clock,
        received_at=datetime.combine(opened_on, time(9, 0)),
        source="leerling_zelf",
        pupil_label=name,
        note=f"Aanmelding {words['request']} via de mentor.",
        settings=settings,
    ).request
    case = open_case(
        store,
        clock,
        Intake(
            opened_on=opened_on,
            confidentiality_explained_at=clock.now(),
            categories=("thuissituatie", "kindermishandeling"),
            taken_up_by="vp",
            story=f"Verhaal {words['story']} over thuis.",
            help_question=f"Hulpvraag {words['question']}.",
            pupil=PupilData(name=name, class_name="3H2", year_group=3, level="havo"),
            request_id=request.id,
            consents={"mentor_coach": True, "ouders": False},
            minutes=30,
        ),
    )
    add_conversation(
        store, clock, case.id, on_date=opened_on, minutes=20, text=f"Gesprek {words['talk']}."
    )
    wrong = add_conversation(
        store, clock, case.id, on_date=opened_on, text=f"Vergissing {words['wrong']}."
    )
    correct_entry(
        store,
        clock,
        wrong.id,
        EntryData("conversation", opened_on, text=f"Verbeterd {words['right']}."),
    )
    now = clock.now()
    record = record_check(
        store,
        case.id,
        {"minor": "yes", "child_abuse": "yes", "acute_danger": "doubt"},
        {"child_abuse": f"Signalen {words['why']}.", "acute_danger": f"Twijfel {words['doubt']}."},
        "",
        now=now,
        settings=settings,
    )
    route_id = record.route_ids[0]
    record_step(store, route_id, 1, opened_on, f"Signalen in kaart {words['step']}.", now=now)
    record_afweging(
        store,
        route_id,
        {1: "yes", 2: "yes"},
        {1: f"Vermoeden {words['weigh']}.", 2: "Acuut onveilig."},
        now=now,
        term_until=None,
    )
    for obligation in case_obligations(store, case.id):
        if obligation.done_on is None:
            complete_obligation(
                store,
                obligation.id,
                done_on=opened_on,
                informed_whom="Veilig Thuis",
                informed_how="telefonisch",
                pupil_told_first=True,
                note=f"Gemeld {words['duty']}.",
                today=opened_on,
            )
            break
    if closed_on is not None:
        close_case(
            store,
            FixedClock(datetime.combine(closed_on, time(16, 0))),
            case.id,
            closed_on=closed_on,
            reason="opgelost",
            text=f"Afgesloten {words['close']}.",
            force=True,
        )
    if drafts:
        save_draft(store, f"escalation:{case.id}", {"why": words["why"]}, now=now)
    return Marked(case.id, case.pupil_id, name, request.id, list(words.values()))


def report_made(store: Store, school_year: str, at: datetime) -> None:
    """What `vertrouwd report` journals (app/commands/report.py)."""
    from app import journal

    journal.append(
        store,
        at.isoformat(),
        "report_made",
        school_year=school_year,
        tables=7,
        data_file=0,
        empty=0,
    )


def decrypted_pages(path: Path, key: str) -> bytes:
    """Every page of a SQLCipher 4 file, decrypted and HMAC-checked, concatenated."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    raw = path.read_bytes()
    assert len(raw) % PAGE_SIZE == 0, "not whole pages"
    salt = raw[:16]
    enc_key = hashlib.pbkdf2_hmac("sha512", key.encode(), salt, 256_000, 32)
    mac_key = hashlib.pbkdf2_hmac("sha512", enc_key, bytes(b ^ 0x3A for b in salt), 2, 32)
    out = []
    for index in range(len(raw) // PAGE_SIZE):
        page = raw[index * PAGE_SIZE : (index + 1) * PAGE_SIZE]
        data = page[16 if index == 0 else 0 : PAGE_SIZE - RESERVE]
        iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
        mac = page[PAGE_SIZE - RESERVE + 16 : PAGE_SIZE - RESERVE + 80]
        expected = hmac.new(
            mac_key, data + iv + struct.pack("<I", index + 1), hashlib.sha512
        ).digest()
        assert hmac.compare_digest(expected, mac), f"page {index + 1} fails its HMAC"
        decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
        out.append(decryptor.update(data) + decryptor.finalize())
    return b"".join(out)


def plaintext_export(store: Store, target: Path) -> bytes:
    """A plaintext copy of the store's content (test only): the bytes of the copy."""
    quoted = str(target).replace("'", "''")
    store.conn.execute(f"ATTACH DATABASE '{quoted}' AS plain KEY ''")
    try:
        store.conn.execute("SELECT sqlcipher_export('plain')")
    finally:
        store.conn.execute("DETACH DATABASE plain")
    data = target.read_bytes()
    target.unlink()
    return data


def found_in(data: bytes, markers: list[str]) -> list[str]:
    lowered = data.lower()
    return [m for m in markers if m.lower().encode() in lowered]


def fts_terms(store: Store, prefix: str) -> list[str]:
    """Terms in the full-text index that start with `prefix` (through fts5vocab)."""
    store.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.note_vocab USING fts5vocab(main, note_fts, row)"
    )
    try:
        rows = store.query(
            "SELECT term FROM temp.note_vocab WHERE term >= ? AND term < ?",
            (prefix, prefix + "\uffff"),
        )
    finally:
        store.conn.execute("DROP TABLE temp.note_vocab")
    return [str(r[0]) for r in rows]

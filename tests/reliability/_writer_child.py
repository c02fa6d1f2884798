"""Child process of the kill tests (R1, and the "kill" step of R6): writes case work in a loop.

    python tests/reliability/_writer_child.py DATA_DIR SEED [PHRASE] < key

Opens the store of DATA_DIR with the key read from standard input, prints `ready`, then loops
through the services, as the GUI would: register a request, open a case for it with an intake
(`casework.open_case`), add conversations. After each write has COMMITTED (the service call
has returned) it prints `request ID`, `case ID` or `entry ID` and flushes: a line on standard
output is an acknowledgement the parent holds the store to. Note lengths vary (up to ~60 KB)
so that transactions span from a few pages to many. With PHRASE, that text goes into every
pupil name and note (the leak scan plants its phrases this way). Runs until killed.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.clock import FixedClock  # noqa: E402
from app.domain.models import Intake, PupilData  # noqa: E402
from app.paths import store_path  # noqa: E402
from app.services import casework as cw  # noqa: E402
from app.store.db import Store  # noqa: E402
from app.store.settings import load_settings  # noqa: E402

CLOCK = FixedClock(datetime(2026, 10, 15, 10, 0))  # a Thursday in the school year 2026-2027
DAY = date(2026, 10, 15)
WORDS = ("gesprek", "leerling", "thuis", "zorgen", "vriend", "ruzie", "mentor", "ouders",
         "afspraak", "pauze", "klas", "toets", "appgroep", "stil", "boos", "verdrietig")
CATEGORIES = ("pesten", "welbevinden", "thuissituatie", "onderwijs", "discriminatie")


def text(rng: random.Random, phrase: str) -> str:
    size = rng.choice((3, 20, 200, 2_000, 8_000))
    body = " ".join(rng.choice(WORDS) for _ in range(size))
    return f"{phrase} {body} {phrase}".strip()


def main() -> None:
    data_dir, seed = Path(sys.argv[1]), int(sys.argv[2])
    phrase = sys.argv[3] if len(sys.argv) > 3 else ""
    key = sys.stdin.readline().strip()
    rng = random.Random(seed)
    store = Store.open(store_path(data_dir), key)
    settings = load_settings(store)
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        request = cw.register_request(
            store, CLOCK, received_at=datetime(2026, 10, 14, 9, rng.randrange(60)),
            source=rng.choice(("leerling_zelf", "mentor_coach", "ouder")),
            pupil_label=f"{phrase} {n}".strip(), note=text(rng, phrase), settings=settings,
        ).request
        print(f"request {request.id}", flush=True)
        case = cw.open_case(store, CLOCK, Intake(
            opened_on=DAY,
            confidentiality_explained_at=datetime(2026, 10, 15, 9, 30),
            categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
            taken_up_by="vp",
            story=text(rng, phrase),
            help_question=text(rng, phrase),
            pupil=PupilData(f"{phrase} Leerling {seed}-{n}".strip(), "2B", 2, "havo"),
            request_id=request.id,
            consents={"mentor_coach": True, "ouders": rng.random() < 0.5},
            minutes=30,
            with_whom="leerling",
        ))
        print(f"case {case.id}", flush=True)
        for _ in range(rng.randint(1, 4)):
            entry = cw.add_conversation(
                store, CLOCK, case.id, on_date=DAY, with_whom="leerling", minutes=20,
                text=text(rng, phrase),
            )
            print(f"entry {entry.id}", flush=True)


if __name__ == "__main__":
    main()

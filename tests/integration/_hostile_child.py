"""Child of test_hostile_arguments.py: runs `vertrouwd` (app.cli.main) once per argument list
read as JSON from standard input, in one process (fast), and prints one JSON result per run:
exit code, what it printed, and a traceback when one escaped. Standard input of each run is
the given text (a key, or garbage)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from app.cli import main


class _Stream(io.StringIO):
    def fileno(self) -> int:  # print-to-devnull paths ask for it
        raise io.UnsupportedOperation("fileno")


def run(argv: list[str], stdin: str) -> dict[str, object]:
    out, err = _Stream(), _Stream()
    sys.stdin = io.StringIO(stdin)
    escaped = ""
    code: object = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse: 2 for bad usage, 0 for --help
            code = stop.code
        except BaseException:  # noqa: BLE001 - that is what the test looks for
            escaped = traceback.format_exc()
    return {"argv": argv, "code": code, "out": out.getvalue()[-2000:],
            "err": err.getvalue()[-2000:], "escaped": escaped}


if __name__ == "__main__":
    jobs = json.loads(sys.__stdin__.read())  # type: ignore[union-attr]
    for argv, stdin in jobs:
        result = run(argv, stdin)  # a lone surrogate stands for a non-UTF-8 byte
        sys.__stdout__.write(json.dumps(result) + "\n")  # type: ignore[union-attr]
        sys.__stdout__.flush()  # type: ignore[union-attr]

"""Reading the recovery key from standard input (`--key-stdin`), as Windows writes it.

A key file made by PowerShell 5 (`Set-Content`, `>`) is UTF-16 with a byte-order mark; Notepad
may save UTF-8 with a mark; `cmd` pipes text in the ANSI code page. The line is decoded by its
mark, else as UTF-8, else in the locale's encoding. The windowed program has no standard input
at all (`sys.stdin is None`): that is a Dutch sentence, never an AttributeError.
"""

from __future__ import annotations

import codecs
import locale
import sys

from app.i18n import _


class NoStandardInput(Exception):
    """`--key-stdin` was given where there is no standard input (a shortcut, the windowed exe)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "There is no standard input here (the program was started from a shortcut "
                "or without a console). Start it without --key-stdin: the window asks for "
                "the recovery key."
            )
        )


def decode_line(raw: bytes) -> str:
    """The text of one line of key input, decoded by its byte-order mark."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            body = raw[len(bom):]
            if len(body) % 2:
                body += b"\x00"  # readline stopped after "\n", before its second byte
            return body.decode(codec, "replace").replace("\x00", "")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(locale.getpreferredencoding(False) or "cp1252", "replace")


def read_key_line() -> str:
    """One line from standard input, whatever encoding Windows gave it."""
    stream = sys.stdin
    if stream is None:
        raise NoStandardInput
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a text stream without bytes underneath (tests, embedded use)
        return str(stream.readline())
    return decode_line(buffer.readline())

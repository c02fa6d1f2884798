"""The two errors the services raise for the user to act on.

`ValidationError` carries one Dutch sentence (`message`, already translated through `_()`) and,
where it helps the form, the name of the field to focus. `NeedsConfirmation` is not an error of
the input but a question: the command would do something the user should confirm first (closing
a case with open plan steps); repeating the call with `force=True` goes ahead.
"""

from __future__ import annotations


class ValidationError(ValueError):
    """Input the program refuses; `message` is a translated sentence for the user."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(ValidationError):
    """The record the command refers to does not exist (any more)."""


class NeedsConfirmation(Exception):
    """The command needs the user's confirmation; `items` are the ids that caused it."""

    def __init__(self, message: str, items: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.items = items

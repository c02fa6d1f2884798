"""One duty as a card a non-lawyer can act on (issue 10): shown on the escalation wizard's
duties page and at the top of the dialog that marks an obligation done.

The card shows the duty's title, by when (a pill; "Nu" in orange for a duty due at once),
whether it goes before the pupil's consent, what to do (the lines of the duty card from
``app.rules.duty_cards``), whom to call with the number, and — folded away under "Hoe doe je
dat?" — what to say, what to have at hand, what the other side will ask and what not to do.
The basis (protocol article or law) closes the card. A duty without a card (a future rule
table) shows the rule's own instruction instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from app.i18n import _
from app.rules.duty_cards import Contact, DutyCard, card_for
from ui.style import label
from ui.views.obligations import pill

#: Extra looks for the cards (added to `CARD_STYLE` by the screens that show cards).
DUTY_CARD_STYLE = """
QLabel#pillNow { background: #f28c28; border-radius: 9px; padding: 2px 9px; color: #ffffff;
                 font-weight: 600; }
QLabel#cardSection { font-weight: 600; color: #1f3b57; margin-top: 4px; }
QLabel#contactLine { color: #22313f; }
QToolButton#howToggle { border: none; color: #1f5a8a; font-weight: 600; padding: 2px 0; }
QFrame#howBox { background: #ffffff; border: 1px solid #d5dee7; border-radius: 4px; }
QFrame#cardFresh { background: #f2f8ff; border: 2px solid #5b8fc7; border-radius: 6px; }
QLabel#freshNote { color: #1f5a8a; font-style: italic; }
"""


def rich_list(items: Sequence[str]) -> QLabel:
    """A bulleted list that wraps (plain text escaped, never markup)."""
    html = "".join(f"<li>{escape(item)}</li>" for item in items)
    widget = QLabel(f"<ul style='margin-left:-18px; margin-top:0px; margin-bottom:0px'>{html}</ul>")
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def contact_text(contact: Contact) -> str:
    """"Veilig Thuis: 0800-2000 (gratis; ...)" — the name starts with a capital letter."""
    name = contact.name[:1].upper() + contact.name[1:]
    if contact.phone:
        return _("{name}: {phone} ({when})").format(
            name=name, phone=contact.phone, when=contact.when
        )
    return _("{name}: {when}").format(name=name, when=contact.when)


def contact_html(contact: Contact) -> str:
    """`contact_text` with the name and the number in bold, for scanning."""
    name = contact.name[:1].upper() + contact.name[1:]
    bold_name = f"<b>{escape(name)}</b>"
    if contact.phone:
        return escape(
            _("{name}: {phone} ({when})").format(name="\x00", phone="\x01", when=contact.when)
        ).replace("\x00", bold_name).replace("\x01", f"<b>{escape(contact.phone)}</b>")
    return escape(_("{name}: {when}").format(name="\x00", when=contact.when)).replace(
        "\x00", bold_name
    )


class DutyCardWidget(QFrame):
    """The card of one duty (see the module doc). `how_box` is the folded-away part."""

    def __init__(
        self,
        *,
        code: str,
        title: str,
        when: str,
        now: bool,
        overrides_consent: bool,
        basis: str,
        instruction: str,
        names: Mapping[str, str] | None = None,
        answers: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        frame_name = "cardAlert" if overrides_consent or now else "card"
        self.setObjectName(frame_name)
        self.code = code
        self.duty_card: DutyCard | None = card_for(code, names, answers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        self.title = label(title, "cardTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)

        tags = QHBoxLayout()
        tags.setSpacing(8)
        self.when = pill(when, "pillNow" if now else "pill")
        tags.addWidget(self.when)
        if overrides_consent:
            tags.addWidget(pill(_("Goes before the pupil's consent"), "pillConsent"))
        tags.addStretch(1)
        layout.addLayout(tags)

        self.how_toggle: QToolButton | None = None
        self.how_box: QFrame | None = None
        found = self.duty_card
        if found is None:
            layout.addWidget(label(instruction))
        else:
            layout.addWidget(label(_("What to do"), "cardSection"))
            layout.addWidget(rich_list(found.do + found.topics))
            if found.contacts:
                layout.addWidget(label(_("Whom to call"), "cardSection"))
                for contact in found.contacts:
                    line = label(contact_html(contact), "contactLine")
                    line.setTextFormat(Qt.TextFormat.RichText)
                    line.setAccessibleName(contact_text(contact))
                    line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                    layout.addWidget(line)
            self._add_how(layout, found)
        self.basis = label(_("Basis: {basis}").format(basis=basis), "basis")
        layout.addWidget(self.basis)

    def _add_how(self, layout: QVBoxLayout, found: DutyCard) -> None:
        toggle = QToolButton()
        toggle.setObjectName("howToggle")
        toggle.setText(_("How do you do that?"))
        toggle.setCheckable(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        box = QFrame()
        box.setObjectName("howBox")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(10, 6, 10, 8)
        inner.setSpacing(4)
        sections: list[tuple[str, Sequence[str]]] = [
            (_("What you can say"), found.script),
            (_("Have at hand"), found.at_hand),
            (_("What they will ask you"), found.they_ask),
            (_("Do not"), found.never),
        ]
        for heading, items in sections:
            if items:
                inner.addWidget(label(heading, "cardSection"))
                inner.addWidget(rich_list(items))
        box.hide()
        toggle.toggled.connect(self._show_how)
        layout.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(box)
        self.how_toggle, self.how_box = toggle, box

    def _show_how(self, shown: bool) -> None:
        if self.how_box is None or self.how_toggle is None:
            return
        self.how_box.setVisible(shown)
        self.how_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def texts(self) -> str:
        """Every label text of the card, folded parts included (for tests and screen readers)."""
        return "\n".join(w.text() for w in self.findChildren(QLabel) if w.text())


__all__ = ["DUTY_CARD_STYLE", "DutyCardWidget", "contact_text", "rich_list"]

"""The escalation check (PRODUCT.md job 5; DOMAIN.md "Escalation rules, version 2026.2").

Four pages:

1. **Questions** — one calm page. `acute_danger` comes first; only the questions that can
   still change the outcome are shown (`visible_questions`, from `questions_to_ask`; a
   question may appear or disappear as answers change, and one that appears because of an
   answer is marked until it is answered). Each row has Ja / Nee / Twijfel, "Wat valt
   hieronder?" (the rule table's `help` and short examples from the duty-card file), under
   Ja or Twijfel the consequence in plain Dutch (`yes_means` / `doubt_means`), and for
   Twijfel a motivation that is required. `minor` is prefilled from the pupil's record, but
   the VP's answer is what counts: an answer that differs from the record is shown with a
   note, never corrected.
2. **Duties** — the result of `evaluate` as duty cards (`ui.views.duty_card`): what to do,
   by when (the due moment; "nu" in orange for a duty due at once), whom to call with the
   number, "Hoe doe je dat?" folded away, "Gaat voor toestemming van de leerling" where
   consent is set aside, and the basis. With only `CONSENT_ONLY`: "Geen escalatie" and a
   required motivation "Geen escalatie, omdat …".
3. **Confirm** — the answers, motivations, duties and the rule version; the commit button
   "Vastleggen" records the check (`record_check`, one transaction). A refused input shows its
   Dutch sentence in a message box and the wizard stays where it is.
4. **Recorded** — the obligations that were created with their due moments.

Nothing is written to the case before "Vastleggen". A wizard closed halfway (Cancel, Escape, the
lock) keeps its answers as an encrypted draft in the store (`app.services.drafts`, kind
`escalation:<case_id>`); opening the check again on that case fills them in, with a button to
start afresh. Recording discards the draft. A later check adds a record; nothing is
overwritten.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.rules.duty_cards import question_examples
from app.rules.escalation import QUESTIONS, RULES_VERSION, Duty, Question, evaluate
from app.rules.escalation import questions_to_ask as rule_questions
from app.services import drafts
from app.services.casework import get_case, get_pupil
from app.services.escalation import CONSENT_ONLY, EscalationRecord, due_moment, record_check
from app.store.settings import Settings, load_settings
from ui.dates import short_moment
from ui.help import install_help
from ui.style import label, scroll_area
from ui.views.duty_card import DUTY_CARD_STYLE, DutyCardWidget, rich_list
from ui.views.obligations import (
    ANSWER_ORDER,
    CARD_STYLE,
    answer_choices,
    answer_word,
    card,
    clear_layout,
    deadline_word,
    due_words,
    moment_words,
    pill,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

DRAFT_PREFIX = "escalation:"


def draft_kind(case_id: int) -> str:
    return f"{DRAFT_PREFIX}{case_id}"


def visible_questions(answers: dict[str, str]) -> list[Question]:
    """The questions to show, in table order: those `questions_to_ask` names, given only the
    answers to questions that are shown themselves (an answer to a hidden question never
    decides anything). A question may depend on one further down the table
    (`family_perpetrator` on `sexual_offence`), so this repeats until nothing changes; the
    conditions only widen along a chain of answers, so it settles within a few rounds (the
    loop is bounded by the number of questions all the same)."""
    shown: set[str] = set()
    for _round in range(len(QUESTIONS) + 1):
        given = {qid: answer for qid, answer in answers.items() if qid in shown}
        asked = {q.id for q in rule_questions(given)}
        if asked == shown:
            break
        shown = asked
    return [q for q in QUESTIONS if q.id in shown]


class QuestionRow(QFrame):
    """One question: Ja / Nee / Twijfel, the consequence of the answer, and a motivation."""

    changed = Signal()

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setObjectName("card")
        self.record_minor: bool | None = None  # the pupil record, for `minor` only
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(6)
        self.text = label(question.text, "cardTitle")
        layout.addWidget(self.text)
        self.help_toggle: QToolButton | None = None
        self.help_box: QWidget | None = None
        self._add_help(layout)

        choices, self.group, self.radios = answer_choices(self, self._toggled)
        layout.addLayout(choices)

        self.consequence = label("", "consequence")
        self.consequence.hide()
        layout.addWidget(self.consequence)
        self.note = label("", "muted")
        self.note.hide()
        layout.addWidget(self.note)
        self.fresh = label(_("New question, because of an answer you gave."), "freshNote")
        self.fresh.hide()
        layout.addWidget(self.fresh)
        self.motivation = QPlainTextEdit()
        self.motivation.setTabChangesFocus(True)
        self.motivation.setFixedHeight(64)
        self.motivation.setPlaceholderText(_("Why are you not sure? (required)"))
        self.motivation.hide()
        self.motivation.textChanged.connect(self.changed.emit)
        layout.addWidget(self.motivation)
        self.error = label("", "fieldError")
        self.error.hide()
        layout.addWidget(self.error)

    def _add_help(self, layout: QVBoxLayout) -> None:
        """"Wat valt hieronder?": the question's explanation (rule table) and short examples
        (duty-card file), folded away."""
        explanation = getattr(self.question, "help", "") or ""
        examples = question_examples(self.question.id)
        if not explanation and not examples:
            return
        toggle = QToolButton()
        toggle.setObjectName("howToggle")
        toggle.setText(_("What counts?") if examples else _("Explanation"))
        toggle.setCheckable(True)
        toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toggle.setArrowType(Qt.ArrowType.RightArrow)
        toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        box = QFrame()
        box.setObjectName("howBox")
        inner = QVBoxLayout(box)
        inner.setContentsMargins(10, 6, 10, 6)
        inner.setSpacing(2)
        if explanation:
            inner.addWidget(label(explanation))
        if examples:
            inner.addWidget(label(_("For example:"), "cardSection"))
            inner.addWidget(rich_list(examples))
        box.hide()

        def show(shown: bool) -> None:
            box.setVisible(shown)
            toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

        toggle.toggled.connect(show)
        layout.addWidget(toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(box)
        self.help_toggle, self.help_box = toggle, box

    def answer(self) -> str | None:
        return next((a for a, radio in self.radios.items() if radio.isChecked()), None)

    def set_answer(self, answer: str | None) -> None:
        if answer in self.radios:
            self.radios[answer].setChecked(True)
        else:
            self.group.setExclusive(False)
            for radio in self.radios.values():
                radio.setChecked(False)
            self.group.setExclusive(True)
        self._update()

    def motivation_text(self) -> str:
        return self.motivation.toPlainText().strip()

    def set_fresh(self, fresh: bool) -> None:
        """Mark a question that appeared because of another answer, until it is answered."""
        self.fresh.setVisible(fresh and self.answer() is None)
        self.setObjectName("cardFresh" if self.fresh.isVisibleTo(self) else "card")
        self.style().unpolish(self)
        self.style().polish(self)

    def _toggled(self, checked: bool) -> None:
        if checked:
            self.error.hide()
            if self.fresh.isVisibleTo(self):
                self.set_fresh(False)
            self._update()
            self.changed.emit()

    def _update(self) -> None:
        """Under Ja or Twijfel the consequence of that answer, as the rule table words it (a
        whole sentence, so no "Bij twijfel:" in front of "Twijfel telt als ja"). Under Nee
        nothing: whether "no" matters depends on the other answers, and the duties page
        shows the outcome."""
        answer = self.answer()
        if answer not in ("yes", "doubt"):
            self.consequence.hide()
        else:
            if answer == "yes":
                self.consequence.setText(self.question.yes_means)
                self.consequence.setObjectName("consequenceYes")
            else:
                self.consequence.setText(self.question.doubt_means)
                self.consequence.setObjectName("consequence")
            self.consequence.style().unpolish(self.consequence)
            self.consequence.style().polish(self.consequence)
            self.consequence.show()
        self.motivation.setVisible(answer == "doubt")
        self._update_note(answer)

    def _update_note(self, answer: str | None) -> None:
        if self.question.id != "minor" or self.record_minor is None:
            return
        record_says_minor = self.record_minor
        answer_says_minor = answer in ("yes", "doubt")
        if answer is None:
            self.note.hide()
        elif answer_says_minor != record_says_minor:
            self.note.setText(
                _(
                    "The case file records this pupil as {record}. Your answer counts for this "
                    "check; correct the pupil's details in the case file if they are wrong."
                ).format(record=_("a minor") if record_says_minor else _("an adult"))
            )
            self.note.setObjectName("warning")
            self.note.style().unpolish(self.note)
            self.note.style().polish(self.note)
            self.note.show()
        else:
            self.note.setText(_("Filled in from the case file; change it if it is not right."))
            self.note.setObjectName("muted")
            self.note.style().unpolish(self.note)
            self.note.style().polish(self.note)
            self.note.show()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class QuestionsPage(QWizardPage):
    def __init__(self, wizard: EscalationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setProperty("help_id", "escalation.questions")
        self.setTitle(_("Escalation check"))
        self.setSubTitle(
            _(
                "The first question is always: is there acute danger now? Under Yes or Not "
                "sure you see what the answer means and what it rests on. Only questions that "
                "can still change the outcome are asked; a new one may appear as you answer."
            )
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        self.resume = QFrame()
        self.resume.setObjectName("cardAlert")
        resume_row = QHBoxLayout(self.resume)
        resume_row.setContentsMargins(12, 8, 12, 8)
        self.resume_text = label("")
        resume_row.addWidget(self.resume_text, 1)
        self.restart_button = QPushButton(_("Start afresh"))
        self.restart_button.setAutoDefault(False)
        self.restart_button.clicked.connect(wizard.start_afresh)
        resume_row.addWidget(self.restart_button)
        self.resume.hide()
        outer.addWidget(self.resume)

        self.closed_note = label(
            _("This case is closed; an escalation check can only be recorded on an open case."),
            "warning",
        )
        self.closed_note.hide()
        outer.addWidget(self.closed_note)

        content = QWidget()
        self.rows_layout = QVBoxLayout(content)
        self.rows_layout.setContentsMargins(0, 4, 8, 4)
        self.rows_layout.setSpacing(10)
        self.rows: dict[str, QuestionRow] = {}
        self.filled = False  # True once the wizard has filled in its first answers
        for question in QUESTIONS:
            row = QuestionRow(question)
            row.changed.connect(self.update_visible)
            self.rows[question.id] = row
            self.rows_layout.addWidget(row)
        self.rows_layout.addWidget(
            label(
                _(
                    "If you stop halfway, your answers are kept as an encrypted draft; nothing "
                    "is recorded in the case file until you click “Record”."
                ),
                "muted",
            )
        )
        self.rows_layout.addStretch(1)
        self.area = scroll_area(content)
        outer.addWidget(self.area, 1)
        self.error = label("", "error")
        self.error.hide()
        outer.addWidget(self.error)

    def update_visible(self) -> None:
        shown = {q.id for q in visible_questions(self.all_answers())}
        for qid, row in self.rows.items():
            appears = qid in shown and row.isHidden()
            row.setVisible(qid in shown)
            if appears and self.filled:
                row.set_fresh(True)
            elif qid not in shown:
                row.set_fresh(False)
        if self.error.isVisible() and not self._problems():
            self.error.hide()

    def all_answers(self) -> dict[str, str]:
        """Every answer given, also to questions that are hidden now (for the draft)."""
        return {qid: a for qid, row in self.rows.items() if (a := row.answer()) is not None}

    def answers(self) -> dict[str, str]:
        """The answers to the questions shown: what the check records."""
        given = self.all_answers()
        return {q.id: given[q.id] for q in visible_questions(given) if q.id in given}

    def motivations(self) -> dict[str, str]:
        given = self.answers()
        return {
            qid: row.motivation_text()
            for qid, row in self.rows.items()
            if qid in given and given[qid] == "doubt" and row.motivation_text()
        }

    def _problems(self) -> list[tuple[QuestionRow, str]]:
        problems: list[tuple[QuestionRow, str]] = []
        for question in visible_questions(self.all_answers()):
            row = self.rows[question.id]
            answer = row.answer()
            if answer is None:
                problems.append((row, _("Choose Yes, No or Not sure.")))
            elif answer == "doubt" and not row.motivation_text():
                problems.append((row, _("Write down why you are not sure.")))
        return problems

    def validatePage(self) -> bool:
        for row in self.rows.values():
            row.error.hide()
        problems = self._problems()
        if not problems:
            self.error.hide()
            return True
        for row, message in problems:
            row.show_error(message)
        self.error.setText(
            _("Not every question is answered yet: see the questions marked in red.")
        )
        self.error.show()
        self.area.ensureWidgetVisible(problems[0][0], 0, 40)
        return False


class DutiesPage(QWizardPage):
    def __init__(self, wizard: EscalationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.duties: list[Duty] = []
        self.setProperty("help_id", "escalation.duties")
        self.setTitle(_("What follows from your answers"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 4, 8, 4)
        layout.setSpacing(10)
        self.cards = QVBoxLayout()
        self.cards.setSpacing(10)
        layout.addLayout(self.cards)
        self.good_practice = label(
            _(
                "Good practice: tell the pupil what you are going to do before you inform "
                "anyone else, also when their consent is not needed."
            ),
            "muted",
        )
        layout.addWidget(self.good_practice)
        self.motivation_label = label("", "cardTitle")
        layout.addWidget(self.motivation_label)
        self.motivation = QPlainTextEdit()
        self.motivation.setTabChangesFocus(True)
        self.motivation.setFixedHeight(90)
        self.motivation.textChanged.connect(self._motivation_changed)
        layout.addWidget(self.motivation)
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        outer.addWidget(scroll_area(content), 1)

    @property
    def consent_only(self) -> bool:
        return [d.code for d in self.duties] == [CONSENT_ONLY]

    def initializePage(self) -> None:
        answers = self.owner.answers()
        self.duties = evaluate(
            answers,
            board_requires_minor=self.owner.settings.board_requires_minor,
            names=self.owner.settings.rule_names(),
        )
        self.setSubTitle(
            _(
                "These are the duties that apply according to the rules (version {version}). "
                "Each card says what to do, by when, whom to call, how to go about it and "
                "what it rests on."
            ).format(version=RULES_VERSION)
        )
        clear_layout(self.cards)
        now = self.owner.now()
        for duty in self.duties:
            self.cards.addWidget(self._duty_card(duty, now))
        overriding = any(d.overrides_consent for d in self.duties)
        self.good_practice.setVisible(overriding)
        if self.consent_only:
            self.motivation_label.setText(_("No escalation, because … *"))
            self.motivation.setPlaceholderText(
                _("Write down why no duty applies (required).")
            )
        else:
            self.motivation_label.setText(_("Explanation of this decision (may stay empty)"))
            self.motivation.setPlaceholderText(_("for example what you weighed"))
        self.error.hide()

    def _duty_card(self, duty: Duty, now: datetime) -> QFrame:
        consent_only = duty.code == CONSENT_ONLY
        return DutyCardWidget(
            code=duty.code,
            title=_("No escalation: share only with consent") if consent_only else duty.title,
            when=_("No deadline") if consent_only else self.deadline_text(duty, now),
            now=duty.deadline == "immediately",
            overrides_consent=duty.overrides_consent,
            basis=duty.basis,
            instruction=duty.instruction,
            names=self.owner.settings.rule_names(),
            answers=self.owner.answers(),
        )

    def deadline_text(self, duty: Duty, now: datetime) -> str:
        if duty.deadline in ("none", "immediately"):
            return deadline_word(duty.deadline)
        due = due_moment(duty, now, self.owner.settings)
        if duty.deadline == "same_day":
            return _("Today, by {time} at the latest").format(time=due.strftime("%H:%M"))
        return _("{deadline}: {moment}").format(
            deadline=deadline_word(duty.deadline), moment=moment_words(due)
        )

    def _motivation_changed(self) -> None:
        if self.error.isVisible() and self.motivation.toPlainText().strip():
            self.error.hide()

    def validatePage(self) -> bool:
        if self.consent_only and not self.motivation.toPlainText().strip():
            self.error.setText(
                _(
                    "No duty applies, so what the pupil told stays confidential. Write down "
                    "why there is no escalation (“no escalation, because …”)."
                )
            )
            self.error.show()
            self.motivation.setFocus()
            return False
        return True


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: EscalationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setProperty("help_id", "escalation.confirm")
        self.setTitle(_("Check and record"))
        self.setSubTitle(
            _(
                "Recording adds this decision to the case file with your answers, your "
                "motivation, the rule version and the time. Nothing is overwritten: a later "
                "check is added beside it."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Record"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.summary = label("")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 4, 8, 4)
        inner.addWidget(self.summary)
        inner.addStretch(1)
        outer.addWidget(scroll_area(content), 1)

    def initializePage(self) -> None:
        answers = self.owner.answers()
        motivations = self.owner.questions_page.motivations()
        duties = self.owner.duties_page.duties
        parts = [f"<p><b>{_e(_('Your answers'))}</b></p><table cellspacing='0' cellpadding='3'>"]
        for question in visible_questions(answers):
            answer = answers.get(question.id, "no")
            parts.append(
                f"<tr><td valign='top'>{_e(question.text)}</td>"
                f"<td valign='top' style='padding-left:14px'><b>{_e(answer_word(answer))}</b>"
                "</td></tr>"
            )
            if question.id in motivations:
                parts.append(
                    "<tr><td colspan='2' style='color:#3d5166; padding-left:16px'>"
                    f"{_e(_('Motivation: {text}').format(text=motivations[question.id]))}"
                    "</td></tr>"
                )
        parts.append("</table>")
        parts.append(f"<p><b>{_e(_('Duties'))}</b></p><ul>")
        for duty in duties:
            if duty.code == CONSENT_ONLY:
                parts.append(f"<li>{_e(_('No escalation: share only with consent'))}</li>")
            else:
                parts.append(
                    f"<li>{_e(duty.title)} — {_e(deadline_word(duty.deadline))} "
                    f"<span style='color:#3d5166'>({_e(duty.basis)})</span></li>"
                )
        parts.append("</ul>")
        general = self.owner.general_motivation()
        if general:
            parts.append(f"<p><b>{_e(_('Your motivation'))}</b><br>{_e(general)}</p>")
        parts.append(
            "<p style='color:#3d5166'>"
            + _e(
                _("Rules version {version} · {moment}").format(
                    version=RULES_VERSION, moment=short_moment(self.owner.now())
                )
            )
            + "</p>"
        )
        self.summary.setText("".join(parts))

    def validatePage(self) -> bool:
        return self.owner.record()


class RecordedPage(QWizardPage):
    def __init__(self, wizard: EscalationWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.route_button: QPushButton | None = None
        self.setProperty("help_id", "escalation.recorded")
        self.setTitle(_("Recorded"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(0, 4, 8, 4)
        self.body.setSpacing(10)
        outer.addWidget(scroll_area(content), 1)

    def initializePage(self) -> None:
        record = self.owner.record_result
        clear_layout(self.body)
        if record is None:
            return
        self.setSubTitle(
            _("The decision is in the case file ({moment}, rules {version}).").format(
                moment=short_moment(record.decided_at), version=record.rules_version
            )
        )
        if record.warning:
            self.body.addWidget(label(record.warning, "warning"))
        if not record.escalates:
            self.body.addWidget(
                label(
                    _(
                        "No obligations were created. Share what the pupil told only with "
                        "their consent, per recipient (protocol 6i)."
                    )
                )
            )
        if record.obligations:
            self.body.addWidget(
                label(
                    _(
                        "These obligations are now on the case and on the overview until you "
                        "mark them done:"
                    )
                )
            )
        for obligation in record.obligations:
            frame, layout = card("cardAlert" if obligation.overrides_consent else "card")
            layout.addWidget(label(obligation.title, "cardTitle"))
            tags = QHBoxLayout()
            tags.addWidget(pill(due_words(obligation.deadline, obligation.due_at)))
            tags.addStretch(1)
            layout.addLayout(tags)
            layout.addWidget(label(_("Basis: {basis}").format(basis=obligation.basis), "basis"))
            self.body.addWidget(frame)
        if record.already_open:
            titles = {d.code: d.title for d in self.owner.duties_page.duties}
            names = ", ".join(titles.get(code, code) for code in record.already_open)
            self.body.addWidget(
                label(
                    _("Already open on this case, so not added again: {names}.").format(
                        names=names
                    ),
                    "muted",
                )
            )
        if record.route_ids:
            frame, layout = card()
            layout.addWidget(
                label(
                    _(
                        "A meldcode route has started. Record its five steps and the "
                        "afwegingskader there; you can open it now, or later from the case "
                        "file with “Meldcode route…”."
                    )
                )
            )
            self.route_button = QPushButton(_("Open the meldcode route…"))
            self.route_button.setAutoDefault(False)
            route_id = record.route_ids[0]
            self.route_button.clicked.connect(lambda: self.owner.open_route(route_id))
            layout.addWidget(self.route_button, 0, Qt.AlignmentFlag.AlignLeft)
            self.body.addWidget(frame)
        self.body.addStretch(1)


class EscalationWizard(QWizard):
    """The escalation check of one case (see the module doc). `record_result` is set once the
    check is recorded."""

    def __init__(
        self,
        window: MainWindow,
        case_id: int,
        *,
        initial_answers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(window)
        self.main_window = window
        self.case_id = case_id
        self.record_result: EscalationRecord | None = None
        self.route_dialog: QWidget | None = None
        self._untouched: dict[str, str] = {}
        assert window.session is not None
        self.store = window.session.store
        self.settings: Settings = load_settings(self.store)
        self.case = get_case(self.store, case_id)
        self.setWindowTitle(_("Escalation check"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        install_help(self)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(760, 620)
        self.setStyleSheet(CARD_STYLE + DUTY_CARD_STYLE)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.questions_page = QuestionsPage(self)
        self.duties_page = DutiesPage(self)
        self.confirm_page = ConfirmPage(self)
        self.recorded_page = RecordedPage(self)
        for page in (self.questions_page, self.duties_page, self.confirm_page, self.recorded_page):
            self.addPage(page)
        self.questions_page.rows["minor"].record_minor = self._pupil_minor()
        if self.case.closed:
            self.questions_page.closed_note.show()
        if not self._resume_draft():
            self._fill(initial_answers or {}, {}, "")

    # -- state ----------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.main_window.now().replace(microsecond=0)

    def answers(self) -> dict[str, str]:
        return self.questions_page.answers()

    def general_motivation(self) -> str:
        return self.duties_page.motivation.toPlainText().strip()

    def _pupil_minor(self) -> bool | None:
        try:
            return get_pupil(self.store, self.case.pupil_id).minor
        except ValidationError:
            return None

    def _fill(self, answers: dict[str, str], motivations: dict[str, str], general: str) -> None:
        page = self.questions_page
        preset = dict(answers)
        minor = page.rows["minor"].record_minor
        if "minor" not in preset and minor is not None:
            preset["minor"] = "yes" if minor else "no"
        if not answers:
            self._untouched = dict(preset)  # a form with only this in it is not worth a draft
        for qid, row in page.rows.items():
            row.set_answer(preset.get(qid))
            row.motivation.setPlainText(motivations.get(qid, ""))
            row.error.hide()
        self.duties_page.motivation.setPlainText(general)
        page.filled = False
        page.update_visible()
        page.filled = True

    # -- drafts -----------------------------------------------------------------------------
    def _draft_data(self) -> dict[str, Any]:
        page = self.questions_page
        return {
            "answers": page.all_answers(),
            "motivations": {
                qid: row.motivation.toPlainText()
                for qid, row in page.rows.items()
                if row.motivation.toPlainText().strip()
            },
            "general": self.duties_page.motivation.toPlainText(),
        }

    def _resume_draft(self) -> bool:
        data = drafts.load_draft(self.store, draft_kind(self.case_id))
        if not data:
            return False
        known = {q.id for q in QUESTIONS}
        raw_answers = data.get("answers")
        raw_motivations = data.get("motivations")
        answers = {
            str(k): str(v)
            for k, v in (raw_answers.items() if isinstance(raw_answers, dict) else ())
            if k in known and v in ANSWER_ORDER
        }
        motivations = {
            str(k): str(v)
            for k, v in (raw_motivations.items() if isinstance(raw_motivations, dict) else ())
            if k in known
        }
        general = data.get("general")
        self._fill(answers, motivations, general if isinstance(general, str) else "")
        saved = drafts.draft_saved_at(self.store, draft_kind(self.case_id))
        when = short_moment(saved) if saved else ""
        self.questions_page.resume_text.setText(
            _(
                "You started this check earlier ({moment}) and stopped halfway. Your answers "
                "are filled in again."
            ).format(moment=when)
        )
        self.questions_page.resume.show()
        return True

    def has_input(self) -> bool:
        """True when the VP gave more than what the wizard filled in itself."""
        data = self._draft_data()
        return bool(
            data["answers"] != self._untouched
            or data["motivations"]
            or data["general"].strip()
        )

    def save_draft(self) -> None:
        """Keep the answers as a draft (encrypted, in the store); nothing goes to the case."""
        session = self.main_window.session
        if session is None or self.record_result is not None or not self.has_input():
            return
        drafts.save_draft(
            session.store, draft_kind(self.case_id), self._draft_data(), now=self.now()
        )

    def start_afresh(self) -> None:
        session = self.main_window.session
        if session is not None:
            drafts.discard_draft(session.store, draft_kind(self.case_id))
        self.questions_page.resume.hide()
        self._fill({}, {}, "")

    # -- recording ------------------------------------------------------------------------
    def record(self) -> bool:
        """Record the check (one transaction); False, with a message box, when refused."""
        if self.record_result is not None:
            return True
        session = self.main_window.session
        if session is None:
            return False
        try:
            self.record_result = record_check(
                session.store,
                self.case_id,
                self.answers(),
                self.questions_page.motivations(),
                self.general_motivation(),
                now=self.now(),
                settings=self.settings,
            )
        except ValidationError as error:
            QMessageBox.warning(self, _("Escalation check"), error.message)
            return False
        drafts.discard_draft(session.store, draft_kind(self.case_id))
        return True

    def open_route(self, route_id: int) -> None:
        """The five-step tracker of the route this check started (on top of the wizard)."""
        if self.main_window.session is None:
            return
        from ui.views.meldcode import MeldcodeDialog

        dialog = MeldcodeDialog(self.main_window, route_id)
        dialog.setParent(self, dialog.windowFlags())
        dialog.finished.connect(lambda _result: self.main_window.refresh())
        self.route_dialog = dialog
        dialog.open()

    def accept(self) -> None:
        if self.record_result is None and not self.record():
            return
        super().accept()

    def reject(self) -> None:
        try:
            self.save_draft()
        except Exception:  # a draft that cannot be kept must never block closing the wizard
            pass
        session = self.main_window.session
        if self.record_result is None and session is not None:
            # A cancelled check stays on the dashboard until done or waived (DOMAIN.md).
            from app.services.check_reminders import remind_check

            remind_check(session.store, self.case_id, now=self.now())
        super().reject()


def _e(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["EscalationWizard", "draft_kind", "visible_questions"]

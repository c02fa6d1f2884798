"""The meldcode tracker of one route: the five steps and the afwegingskader (DOMAIN.md,
"Meldcode"; PRODUCT.md job 5).

`MeldcodeDialog(window, route_id)` has two tabs:

* **De vijf stappen** — each step with its title and description; a recorded step shows its
  date and note, the others a "Vastleggen…" button (`StepDialog`: date and note, saved with
  `meldcode.record_step`; steps may be recorded in any order, each once).
* **Afwegingskader** — a guided walk, question by question (`next_afweging`): Ja / Nee /
  Twijfel with a motivation each (required; the table's note says how Twijfel counts), the
  answers so far above the current question, and at the end the outcome in plain Dutch with
  the text of the table. "Hulp bieden of organiseren" asks the end date of the agreed term.
  Saved with `meldcode.record_afweging`. After a term, the walk continues with question 5
  from the earlier answers (the service takes them over).

Steps and walks are add-only; a refused input shows its Dutch sentence in the dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.i18n import _
from app.rules.meldcode import (
    AFWEGING_QUESTIONS,
    STEPS,
    AfwegingOutcome,
    load_meldcode,
    next_afweging,
)
from app.services.meldcode import (
    MeldcodeRoute,
    parents_unsafe_reasons,
    record_afweging,
    record_forms,
    record_step,
    record_vt_decision,
    route,
)
from ui.dates import short_date, short_moment
from ui.help import install_help
from ui.style import label, scroll_area
from ui.views.obligations import (
    CARD_STYLE,
    DateField,
    answer_choices,
    answer_word,
    card,
    clear_layout,
    fit_height,
    pill,
    plain,
    route_kind_text,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

MELDING_OUTCOMES = ("melden", "opnieuw_melden")


def outcome_title(code: str | None) -> str:
    """The Dutch title of an afweging outcome code, from the table (via a sample walk)."""
    samples: dict[str, dict[int, str]] = {
        "close": {1: "no"},
        "melden": {1: "yes", 2: "yes"},
        "start_help": {1: "yes", 2: "no", 3: "yes", 4: "yes"},
        "close_with_monitoring": {1: "yes", 2: "no", 3: "yes", 4: "yes", 5: "yes"},
        "opnieuw_melden": {1: "yes", 2: "no", 3: "yes", 4: "yes", 5: "no"},
    }
    if code is None or code not in samples:
        return code or ""
    try:
        return next_afweging(samples[code]).title or code
    except ValueError:
        return code


class StepDialog(QDialog):
    """Record the date and a note of one of the five steps."""

    def __init__(self, window: MainWindow, route_id: int, step: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.main_window = window
        self.route_id = route_id
        self.step = step
        self.saved: MeldcodeRoute | None = None
        info = next(s for s in STEPS if s.number == step)
        self.setWindowTitle(_("Record step {number}").format(number=step))
        self.setMinimumWidth(540)
        self.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(
            label(_("Step {number}: {title}").format(number=step, title=info.title), "title")
        )
        layout.addWidget(label(info.description, "muted"))
        self.on_date = DateField(window.now().date())
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(100)
        self.note.setPlaceholderText(_("facts only, briefly (protocol 6b)"))
        form = QFormLayout()
        form.addRow(_("Date *"), self.on_date)
        form.addRow(_("Note"), self.note)
        layout.addLayout(form)
        self._add_details(layout)
        self.error = label("", "error")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        cancel = QPushButton(_("Cancel"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.save_button = QPushButton(_("Record"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.resize(self.minimumWidth(), self.height())
        fit_height(self)

    def _add_details(self, layout: QVBoxLayout) -> None:
        """Step 1: the forms of violence that rule out the parents in step 3; step 2: with
        whom; step 3: whether the parents took part (not offered when that is unsafe)."""
        table = load_meldcode()
        self.forms: dict[str, QCheckBox] = {}
        self.consulted: dict[str, QCheckBox] = {}
        self.with_parents: QCheckBox | None = None
        session = self.main_window.session
        if self.step == 1 and table.parents_excluded_forms:
            layout.addWidget(label(_("Does it concern one of these? (then not with the parents "
                                     "in step 3)"), "muted"))
            current = route(session.store, self.route_id).forms if session else ()
            for form_id, text in table.parents_excluded_forms.items():
                box = QCheckBox(text)
                box.setChecked(form_id in current)
                self.forms[form_id] = box
                layout.addWidget(box)
        if self.step == 2:
            layout.addWidget(label(_("With whom did you discuss the signals? *"), "muted"))
            for partner, text in table.consult_partners.items():
                box = QCheckBox(text)
                self.consulted[partner] = box
                layout.addWidget(box)
        if self.step == 3 and session is not None:
            self.with_parents = QCheckBox(_("The parents took part in the conversation"))
            layout.addWidget(self.with_parents)
            reasons = parents_unsafe_reasons(session.store, self.route_id)
            if reasons:
                self.with_parents.setEnabled(False)
                layout.addWidget(label(
                    _("Not with the parents: {reasons}").format(reasons=" ".join(reasons)),
                    "warning"))

    def save(self) -> None:
        session = self.main_window.session
        if session is None:
            self.reject()
            return
        try:
            if self.forms:
                record_forms(session.store, self.route_id,
                             [f for f, box in self.forms.items() if box.isChecked()])
            self.saved = record_step(
                session.store,
                self.route_id,
                self.step,
                self.on_date.value("on_date"),
                self.note.toPlainText().strip(),
                now=self.main_window.now(),
                consulted=[c for c, box in self.consulted.items() if box.isChecked()],
                with_parents=(self.with_parents.isChecked()
                              if self.with_parents is not None else None),
            )
        except ValidationError as error:
            self.error.setText(error.message)
            self.error.show()
            fit_height(self)
            return
        self.accept()


class StepsTab(QWidget):
    def __init__(self, dialog: MeldcodeDialog) -> None:
        super().__init__()
        self.dialog = dialog
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(8, 8, 12, 8)
        self.body.setSpacing(10)
        outer.addWidget(scroll_area(content))
        self.record_buttons: dict[int, QPushButton] = {}

    def fill(self, current: MeldcodeRoute) -> None:
        clear_layout(self.body)
        self.record_buttons = {}
        done = {s.step: s for s in current.steps}
        for step in STEPS:
            recorded = done.get(step.number)
            frame, layout = card("cardDone" if recorded else "card")
            head = QHBoxLayout()
            head.addWidget(
                label(
                    _("Step {number}: {title}").format(number=step.number, title=step.title),
                    "cardTitle",
                ),
                1,
            )
            if recorded is None and not current.closed:
                button = QPushButton(_("Record…"))
                button.setAutoDefault(False)
                button.clicked.connect(lambda _c=False, n=step.number: self.dialog.open_step(n))
                self.record_buttons[step.number] = button
                head.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(head)
            layout.addWidget(label(step.description, "muted"))
            if recorded is not None:
                text = _("Recorded: {date}").format(date=short_date(recorded.on_date))
                layout.addWidget(label("✓ " + text, "basis"))
                if recorded.note:
                    layout.addWidget(plain(recorded.note))
            self.body.addWidget(frame)
        self.body.addStretch(1)


class AfwegingTab(QWidget):
    """The guided walk through the afwegingskader."""

    def __init__(self, dialog: MeldcodeDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.base: dict[int, str] = {}  # answers of the walk before the term (follow-up)
        self.base_motivations: dict[int, str] = {}
        self.started = False
        self.order: list[int] = []  # questions answered now, in order
        self.answers: dict[int, str] = {}
        self.motivations: dict[int, str] = {}
        self.current: int | None = None
        self.result: AfwegingOutcome | None = None
        self.with_vt = False  # after a melding: questions 3-5 together with Veilig Thuis

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(8, 8, 12, 8)
        body.setSpacing(10)
        self.area = scroll_area(content)
        outer.addWidget(self.area)

        self.intro = label(
            _(
                "Weigh the signals with these questions (steps 4 and 5). Answer each with a "
                "motivation; the next question follows from your answer. In doubt, ask "
                "Veilig Thuis for advice: 0800-2000."
            ),
            "muted",
        )
        body.addWidget(self.intro)
        self._add_vt_card(body)
        self.history = label("", "basis")
        body.addWidget(self.history)
        self.status = label("")
        body.addWidget(self.status)

        self.trail = QVBoxLayout()
        self.trail.setSpacing(6)
        body.addLayout(self.trail)

        # the current question
        self.question_box, qlayout = card()
        self.question_title = label("", "cardTitle")
        qlayout.addWidget(self.question_title)
        choices, self.group, self.radios = answer_choices(self, self._answer_toggled)
        qlayout.addLayout(choices)
        self.doubt_note = label("", "consequence")
        self.doubt_note.hide()
        qlayout.addWidget(self.doubt_note)
        qlayout.addWidget(label(_("Motivation *"), "basis"))
        self.motivation = QPlainTextEdit()
        self.motivation.setTabChangesFocus(True)
        self.motivation.setFixedHeight(70)
        self.motivation.setPlaceholderText(_("Why this answer? (required)"))
        qlayout.addWidget(self.motivation)
        nav = QHBoxLayout()
        self.back_button = QPushButton(_("< Previous question"))
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton(_("Next question >"))
        self.next_button.setAutoDefault(False)
        self.next_button.clicked.connect(self.go_next)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        qlayout.addLayout(nav)
        body.addWidget(self.question_box)

        # the outcome
        self.outcome_box, olayout = card("cardAlert")
        self.outcome_title = label("", "cardTitle")
        olayout.addWidget(self.outcome_title)
        self.outcome_text = label("")
        olayout.addWidget(self.outcome_text)
        self.term_row = QWidget()
        term_form = QFormLayout(self.term_row)
        term_form.setContentsMargins(0, 4, 0, 0)
        self.term_until = DateField(dialog.main_window.now().date())
        self.term_until.today_button.hide()
        term_form.addRow(_("End of the agreed term *"), self.term_until)
        olayout.addWidget(self.term_row)
        self.acute = QCheckBox(_("Acutely unsafe: report by phone now (due immediately)"))
        olayout.addWidget(self.acute)
        outcome_nav = QHBoxLayout()
        self.outcome_back = QPushButton(_("< Previous question"))
        self.outcome_back.setAutoDefault(False)
        self.outcome_back.clicked.connect(self.go_back)
        self.save_button = QPushButton(_("Record the afweging"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        outcome_nav.addWidget(self.outcome_back)
        outcome_nav.addStretch(1)
        outcome_nav.addWidget(self.save_button)
        olayout.addLayout(outcome_nav)
        body.addWidget(self.outcome_box)

        self.done_box, dlayout = card("cardDone")
        self.done_text = label("")
        dlayout.addWidget(self.done_text)
        self.again_button = QPushButton(_("Weigh again"))
        self.again_button.setAutoDefault(False)
        self.again_button.clicked.connect(self.restart)
        dlayout.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.done_box)
        self.done_box.hide()

        self.error = label("", "error")
        self.error.hide()
        body.addWidget(self.error)
        body.addStretch(1)

    def _add_vt_card(self, body: QVBoxLayout) -> None:
        """After a melding: Veilig Thuis' decision (recorded ones listed, a new one added)."""
        self.vt_box, vlayout = card()
        vlayout.addWidget(label(_("Decision of Veilig Thuis after the melding"), "cardTitle"))
        self.vt_list = label("", "muted")
        vlayout.addWidget(self.vt_list)
        self.vt_decision = QComboBox()
        for code, text in load_meldcode().veilig_thuis_decisions.items():
            self.vt_decision.addItem(text, code)
        self.vt_date = DateField(self.dialog.main_window.now().date())
        self.vt_note = QPlainTextEdit()
        self.vt_note.setTabChangesFocus(True)
        self.vt_note.setFixedHeight(50)
        form = QFormLayout()
        form.addRow(_("Decision"), self.vt_decision)
        form.addRow(_("Date *"), self.vt_date)
        form.addRow(_("Note"), self.vt_note)
        vlayout.addLayout(form)
        self.vt_save = QPushButton(_("Record the decision"))
        self.vt_save.setAutoDefault(False)
        self.vt_save.clicked.connect(self.save_vt_decision)
        vlayout.addWidget(self.vt_save, 0, Qt.AlignmentFlag.AlignLeft)
        body.addWidget(self.vt_box)
        self.vt_box.hide()

    def save_vt_decision(self) -> None:
        session = self.dialog.main_window.session
        if session is None:
            return
        try:
            record_vt_decision(
                session.store,
                self.dialog.route_id,
                str(self.vt_decision.currentData()),
                self.vt_date.value("decided_on"),
                self.vt_note.toPlainText().strip(),
                now=self.dialog.main_window.now(),
            )
        except ValidationError as error:
            self._error(error.message)
            return
        self.vt_note.clear()
        self.error.hide()
        self.dialog.reload()

    # -- set-up -------------------------------------------------------------------------
    def fill(self, current: MeldcodeRoute) -> None:
        self.with_vt = current.melded
        self.vt_box.setVisible(current.melded and not current.closed)
        self.vt_list.setText("<br>".join(
            f"{short_date(d.decided_on)}: {d.label}" for d in current.vt_decisions
        ))
        self.vt_list.setVisible(bool(current.vt_decisions))
        self.intro.setText(
            _("After the melding: answer questions 3 to 5 together with Veilig Thuis — can the "
              "school (keep) helping?")
            if self.with_vt
            else _(
                "Weigh the signals with these questions (steps 4 and 5). Answer each with a "
                "motivation; the next question follows from your answer. In doubt, ask "
                "Veilig Thuis for advice: 0800-2000."
            )
        )
        lines = [
            _("{moment}: {outcome}").format(
                moment=short_moment(a.decided_at), outcome=outcome_title(a.outcome)
            )
            for a in current.afwegingen
        ]
        self.history.setText(
            (_("Earlier afwegingen:") + "<br>" + "<br>".join(lines)) if lines else ""
        )
        self.history.setVisible(bool(lines))
        if current.closed:
            self.status.setText(
                _("This route was closed on {date}. If new signals arise, do a new escalation "
                  "check.").format(date=short_date(current.closed_on))
            )
            self.status.setObjectName("warning")
        elif current.term_until is not None:
            self.status.setText(
                _(
                    "Help was started with a term until {date}. After that term, answer "
                    "question 5: did the help lead to the agreed result?"
                ).format(date=short_date(current.term_until))
            )
            self.status.setObjectName("basis")
        else:
            self.status.setText("")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setVisible(bool(self.status.text()))
        if current.term_until is not None and current.afwegingen:
            self.base = dict(current.afwegingen[-1].answers)
            self.base_motivations = dict(current.afwegingen[-1].motivations)
        else:
            self.base, self.base_motivations = {}, {}
        if current.closed:
            self.question_box.hide()
            self.outcome_box.hide()
            self.done_box.hide()
            self._draw_trail()
            return
        if not self.started:
            self.started = True
            self.restart()
        else:
            self._draw_trail()

    def restart(self) -> None:
        self.order, self.answers, self.motivations = [], {}, {}
        self.result = None
        self.done_box.hide()
        self.error.hide()
        self._show(self._next_question())

    # -- walking ------------------------------------------------------------------------
    def merged(self) -> dict[int, str]:
        return {**self.base, **{n: self.answers[n] for n in self.order}}

    def _next_question(self) -> int | None:
        outcome = next_afweging(self.merged(), after_melding=self.with_vt)
        if outcome.next_question is not None:
            return outcome.next_question
        follow_up = outcome.follow_up_question
        if (
            self.base
            and outcome.outcome == "start_help"
            and follow_up is not None
            and follow_up not in self.merged()
        ):
            return follow_up
        return None

    def _show(self, number: int | None) -> None:
        self.current = number
        self._draw_trail()
        if number is None:
            outcome = next_afweging(self.merged(), after_melding=self.with_vt)
            self.question_box.hide()
            self.acute.setChecked(False)
            self.acute.setVisible(
                outcome.outcome in MELDING_OUTCOMES
                and not (self.with_vt and outcome.outcome == "melden")
            )
            self.outcome_title.setText(_("Outcome: {title}").format(title=outcome.title))
            self.outcome_text.setText(outcome.text)
            self.term_row.setVisible(outcome.outcome == "start_help")
            self.outcome_back.setEnabled(bool(self.order))
            self.outcome_box.show()
            self.area.ensureWidgetVisible(self.outcome_box, 0, 20)
            return
        self.outcome_box.hide()
        question = AFWEGING_QUESTIONS[number]
        self.question_title.setText(
            _("Question {number}: {text}").format(number=number, text=question.text)
        )
        self.group.setExclusive(False)
        for radio in self.radios.values():
            radio.setChecked(False)
        self.group.setExclusive(True)
        remembered = self.answers.get(number)
        if remembered in self.radios:
            self.radios[remembered].setChecked(True)
        self.motivation.setPlainText(self.motivations.get(number, ""))
        self.doubt_note.setText(question.doubt_note)
        self.doubt_note.setVisible(remembered == "doubt")
        self.back_button.setEnabled(bool(self.order))
        self.question_box.show()
        self.area.ensureWidgetVisible(self.question_box, 0, 20)

    def _draw_trail(self) -> None:
        clear_layout(self.trail)
        earlier = [n for n in sorted(self.base) if n not in self.order]
        if earlier:
            # the walk before the term, compactly: the question to answer now stays in view
            frame, layout = card()
            layout.addWidget(label(_("Answered before the term"), "basis"))
            for number in earlier:
                line = plain(
                    _("Question {number}: {text}").format(
                        number=number, text=AFWEGING_QUESTIONS[number].text
                    )
                    + f" — {answer_word(self.base[number])}",
                    "muted",
                )
                line.setToolTip(self.base_motivations.get(number, ""))
                layout.addWidget(line)
            self.trail.addWidget(frame)
        for number in self.order:
            answer = self.merged().get(number, "")
            question = AFWEGING_QUESTIONS[number]
            motivation = self.motivations.get(number, "")
            frame, layout = card()
            row = QHBoxLayout()
            row.addWidget(
                label(_("Question {number}: {text}").format(number=number, text=question.text)),
                1,
            )
            row.addWidget(pill(answer_word(answer)), 0, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)
            if motivation:
                layout.addWidget(plain(_("Motivation: {text}").format(text=motivation), "muted"))
            self.trail.addWidget(frame)

    def _answer_toggled(self, checked: bool) -> None:
        if checked:
            self.doubt_note.setVisible(self.radios["doubt"].isChecked())
            self.error.hide()

    def chosen(self) -> str | None:
        return next((a for a, radio in self.radios.items() if radio.isChecked()), None)

    def go_next(self) -> None:
        if self.current is None:
            return
        answer = self.chosen()
        motivation = self.motivation.toPlainText().strip()
        if answer is None:
            self._error(_("Choose Yes, No or Not sure."))
            return
        if not motivation:
            self._error(_("Write down why you give this answer."))
            self.motivation.setFocus()
            return
        self.error.hide()
        number = self.current
        self.answers[number] = answer
        self.motivations[number] = motivation
        self.order.append(number)
        self._show(self._next_question())

    def go_back(self) -> None:
        if not self.order:
            return
        self.error.hide()
        self._show(self.order.pop())

    def _error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def save(self) -> None:
        session = self.dialog.main_window.session
        if session is None:
            return
        try:
            outcome = next_afweging(self.merged(), after_melding=self.with_vt)
            term = self.term_until.value("term_until") if outcome.outcome == "start_help" else None
            self.result = record_afweging(
                session.store,
                self.dialog.route_id,
                {n: self.answers[n] for n in self.order},
                {n: self.motivations[n] for n in self.order},
                now=self.dialog.main_window.now(),
                term_until=term,
                acute=self.acute.isVisible() and self.acute.isChecked(),
                with_veilig_thuis=self.with_vt,
            )
        except ValidationError as error:
            self._error(error.message)
            return
        self.error.hide()
        self.outcome_box.hide()
        self.question_box.hide()
        text = _("Recorded: {title}.").format(title=self.result.title)
        if self.result.outcome in MELDING_OUTCOMES and not (
            self.with_vt and self.result.outcome == "melden"
        ):
            text += " " + _(
                "The obligation “{title}” is now on the case, due today. Mark it done when you "
                "have made the melding."
            ).format(title=self.result.title)
        elif self.result.outcome == "start_help":
            text += " " + _(
                "When the term ends, the overview reminds you to answer question 5."
            )
        self.done_text.setText(text)
        self.done_box.show()
        self.dialog.reload()


class MeldcodeDialog(QDialog):
    """The tracker of one meldcode route (see the module doc)."""

    def __init__(self, window: MainWindow, route_id: int) -> None:
        super().__init__(window)
        self.main_window = window
        self.route_id = route_id
        self.step_dialog: StepDialog | None = None
        assert window.session is not None
        self.route = route(window.session.store, route_id)
        self.setWindowTitle(_("Meldcode route"))
        self.setMinimumSize(780, 640)
        self.setStyleSheet(CARD_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.heading = label("", "title")
        layout.addWidget(self.heading)
        self.subtitle = label("", "subtitle")
        layout.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        self.steps_tab = StepsTab(self)
        self.afweging_tab = AfwegingTab(self)
        self.tabs.addTab(self.steps_tab, _("The five steps"))
        self.tabs.addTab(self.afweging_tab, _("Afwegingskader"))
        install_help(self, "meldcode")
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        close = QPushButton(_("Close"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._fill()

    def reload(self) -> None:
        if self.main_window.session is None:
            return
        self.route = route(self.main_window.session.store, self.route_id)
        self._fill()

    def _fill(self) -> None:
        current = self.route
        if current.kind == "VEILIG_THUIS_ADVICE":
            self.heading.setText(_("Advice from Veilig Thuis (meldcode)"))
        else:
            self.heading.setText(_("Meldcode domestic violence and child abuse"))
        parts = [
            _("Started on {date}").format(date=short_date(current.started_on)),
            _("rules {version}").format(version=current.rules_version),
        ]
        next_step = current.next_step
        if current.closed:
            parts.append(_("closed on {date}").format(date=short_date(current.closed_on)))
        elif next_step is not None:
            title = next(s.title for s in STEPS if s.number == next_step)
            parts.append(_("next step: {number}. {title}").format(number=next_step, title=title))
        self.subtitle.setText(" · ".join(parts))
        self.steps_tab.fill(current)
        self.afweging_tab.fill(current)

    def open_step(self, step: int) -> None:
        if self.main_window.session is None:
            return
        dialog = StepDialog(self.main_window, self.route_id, step, self)
        dialog.accepted.connect(self._step_saved)
        self.step_dialog = dialog
        dialog.open()

    def _step_saved(self) -> None:
        self.reload()
        self.main_window.refresh()


__all__ = ["MeldcodeDialog", "StepDialog", "outcome_title", "route_kind_text"]

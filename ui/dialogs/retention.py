"""Retention: destroy closed case files whose retention period has passed (PRODUCT.md job 8).

The dialog lists the cases that are due (all ticked), lists apart the ones still waiting for
the annual report (read-only), warns that destroying cannot be undone, and asks the VP to type
the number of ticked cases or to tick "I am sure" before `retention.destroy_cases` runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.domain.dates import show_date
from app.domain.errors import ValidationError
from app.i18n import _
from app.services.copies import where_copies_text
from app.services.holds import hold_label
from app.services.retention import (
    RetentionError,
    RetentionItem,
    destroy_cases,
    retention_overview,
)
from app.store.db import StoreError
from app.store.settings import load_settings
from ui.help import install_help
from ui.style import label

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ROLE = Qt.ItemDataRole.UserRole


def _tree(items: tuple[RetentionItem, ...], checkable: bool) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setColumnCount(4)
    tree.setHeaderLabels([_("Pupil"), _("Closed on"), _("School year"), _("Due since")])
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    header = tree.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for item in items:
        row = QTreeWidgetItem([item.pupil_label, show_date(item.closed_on), item.school_year,
                               show_date(item.due_on)])
        row.setData(0, ROLE, item.case_id)
        if checkable:
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(0, Qt.CheckState.Checked)
        tree.addTopLevelItem(row)
    return tree


class RetentionDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.destroyed_count = 0
        self.setWindowTitle(_("Retention period: destroy case files"))
        self.resize(760, 640)
        session = window.session
        assert session is not None
        today = window.now().date()
        overview = retention_overview(session.store, today, load_settings(session.store))
        self.due_items = overview.due
        layout = QVBoxLayout(self)

        layout.addWidget(label(_("Case files past their retention period"), "title"))
        if overview.due:
            layout.addWidget(label(_(
                "These closed case files were counted in an annual report and the retention "
                "period your school has set has passed, so they are due for destruction. "
                "Untick a case file only if you have a good reason to keep it a little "
                "longer; if a procedure is still running, put the file on hold instead.")))
        else:
            layout.addWidget(label(_("No case file is due for destruction today.")))
        self.tree = _tree(overview.due, checkable=True)
        self.tree.itemChanged.connect(lambda *_a: self._update())
        self.tree.setVisible(bool(overview.due))
        layout.addWidget(self.tree, 2)

        waiting = QGroupBox(_("Waiting for the annual report"))
        waiting_layout = QVBoxLayout(waiting)
        waiting_layout.addWidget(label(_(
            "These case files are past their date too, but their school year has not been "
            "counted in an annual report yet. Make the annual report first; after that they "
            "can be destroyed."), "subtitle"))
        self.waiting_tree = _tree(overview.waiting, checkable=False)
        waiting_layout.addWidget(self.waiting_tree)
        waiting.setVisible(bool(overview.waiting))
        layout.addWidget(waiting, 1)

        self.held_box = QGroupBox(_("On hold: not destroyed"))
        held_layout = QVBoxLayout(self.held_box)
        held_layout.addWidget(label(_(
            "These case files are past their date, but they are on hold because a procedure is "
            "still running. They are kept until you lift the hold in the case file."),
            "subtitle"))
        self.held_tree = _tree(overview.held, checkable=False)
        for index, item in enumerate(overview.held):
            line = self.held_tree.topLevelItem(index)
            if line is not None:
                line.setText(0, f"{item.pupil_label} — {hold_label(item.hold)}")
        held_layout.addWidget(self.held_tree)
        self.held_box.setVisible(bool(overview.held))
        layout.addWidget(self.held_box, 1)

        self.confirm_box = QGroupBox(_("Confirm"))
        confirm = QVBoxLayout(self.confirm_box)
        confirm.addWidget(label(
            _("This cannot be undone: the ticked case files and everything in them are "
              "deleted for good.") + " " + where_copies_text(session), "warning"))
        row = QHBoxLayout()
        self.count_label = label(_("Type the number of ticked case files:"), wrap=False)
        row.addWidget(self.count_label)
        self.count_edit = QLineEdit()
        self.count_edit.setMaximumWidth(80)
        self.count_edit.textChanged.connect(lambda *_a: self._update())
        row.addWidget(self.count_edit)
        row.addStretch(1)
        confirm.addLayout(row)
        self.sure_box = QCheckBox(_("I am sure"))
        self.sure_box.toggled.connect(lambda *_a: self._update())
        confirm.addWidget(self.sure_box)
        self.confirm_box.setVisible(bool(overview.due))
        layout.addWidget(self.confirm_box)

        buttons = QDialogButtonBox()
        self.destroy_button = QPushButton(_("Destroy"))
        self.destroy_button.clicked.connect(self.destroy_checked)
        if overview.due:
            buttons.addButton(self.destroy_button, QDialogButtonBox.ButtonRole.AcceptRole)
        else:
            self.destroy_button.hide()
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)
        install_help(self, "retention")
        self._update()

    def checked_ids(self) -> list[int]:
        ids: list[int] = []
        for index in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(index)
            assert row is not None  # index < topLevelItemCount()
            if row.checkState(0) == Qt.CheckState.Checked:
                ids.append(int(row.data(0, ROLE)))
        return ids

    def _update(self) -> None:
        count = len(self.checked_ids())
        self.count_label.setText(_("Ticked: {count}. Type this number to confirm:").format(
            count=count))
        typed = self.count_edit.text().strip()
        confirmed = self.sure_box.isChecked() or (typed.isdigit() and int(typed) == count)
        self.destroy_button.setEnabled(count > 0 and confirmed)

    def destroy_checked(self) -> None:
        session = self.window_.session
        ids = self.checked_ids()
        if session is None or not ids or not self.destroy_button.isEnabled():
            return
        try:
            count = destroy_cases(session.store, ids, now=self.window_.now())
        except ValidationError as error:
            QMessageBox.warning(self, self.windowTitle(), str(error))
            return
        except RetentionError as error:
            count = error.count
            QMessageBox.warning(self, self.windowTitle(), error.message)
        except StoreError:
            QMessageBox.warning(self, self.windowTitle(), _(
                "The case files could not be destroyed; nothing has been deleted. Try again "
                "later."))
            return
        self.destroyed_count = count
        from ui.dialogs.access_export import close_case_tabs

        close_case_tabs(self.window_, ids)
        self.window_.refresh()
        QMessageBox.information(self, self.windowTitle(), _(
            "{count} case file(s) destroyed.").format(count=count) + "\n\n"
            + where_copies_text(session))
        self.accept()

"""In-app help: a short page in the VP's own words beside every screen and wizard page (F1).

The pages are Markdown files under `resources/help/<language>/<help id>.md` (Dutch is the
default and the fallback: an English page is optional). A screen only declares its id, as a
dynamic property or an attribute:

    self.setProperty("help_id", "intake.story")

`help_id_for(widget)` finds the id that fits what the VP is looking at: from the given widget
(usually the focused one) up the parent chain, looking into the current page of a wizard and
the current tab of a tab widget on the way; nothing found means the getting-started page.

Two ways to show a page:

* `HelpPanel` — a dock on the right of the main window with a text browser. F1 and the Help
  menu's "Uitleg bij dit scherm" toggle it; it follows the current tab while it is open and
  hides when the window locks (the cover stays neutral).
* `install_help(dialog)` — for (modal) dialogs and wizards, which block the main window: F1,
  and for a QWizard its own "Uitleg" button (`HaveHelpButton`, `helpRequested`), or a help
  button in the dialog's button box, open a small non-modal window beside the dialog. In a
  wizard it follows the page.

Help pages link to each other with `help:<id>` links; other links are not followed (no
browser, no network).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from app.i18n import _, language
from app.resources import resource_path

if TYPE_CHECKING:
    from ui.main_window import MainWindow

HELP_PROPERTY = "help_id"
DEFAULT_HELP_ID = "getting_started"
HELP_KEY = "F1"
HELP_SCHEME = "help"
PANEL_WIDTH = 360
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


# -- the pages ---------------------------------------------------------------------------------
def help_file(help_id: str, lang: str | None = None) -> Path | None:
    """The file of `help_id` in `lang` (default: the program's language), else Dutch."""
    if not _ID_RE.match(help_id):
        return None
    for candidate in dict.fromkeys((lang or language(), "nl")):
        path = resource_path("help", candidate, f"{help_id}.md")
        if path.is_file():
            return path
    return None


def help_text(help_id: str, lang: str | None = None) -> str:
    """The Markdown text of `help_id`; a short note when there is no page (never an error)."""
    path = help_file(help_id, lang)
    if path is not None:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    return "# " + _("No explanation yet") + "\n\n" + _(
        "There is no explanation for this screen yet. The page [Getting started]"
        "(help:getting_started) tells you how Vertrouwd works.")


def help_ids(lang: str = "nl") -> list[str]:
    """Every help id that has a page in `lang`."""
    folder = resource_path("help", lang)
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.md"))


# -- which page fits the screen ----------------------------------------------------------------
def declared_help_id(widget: QObject | None) -> str | None:
    """The id `widget` declares itself (dynamic property first, then an attribute)."""
    if widget is None:
        return None
    value = widget.property(HELP_PROPERTY)
    if isinstance(value, str) and value:
        return value
    value = getattr(widget, HELP_PROPERTY, None)
    if isinstance(value, str) and value:
        return value
    return None


def _current_child(widget: QWidget) -> QWidget | None:
    """What the VP sees of a container: the wizard's page, the tab, the stacked page."""
    if isinstance(widget, QWizard):
        return widget.currentPage()
    if isinstance(widget, QTabWidget | QStackedWidget):
        return widget.currentWidget()
    if isinstance(widget, QMainWindow):
        return widget.centralWidget()
    return None


def _deepest(widget: QWidget | None) -> str | None:
    """The most specific id along the current pages/tabs below `widget` (itself included)."""
    found: str | None = None
    seen = 0
    while widget is not None and seen < 32:
        found = declared_help_id(widget) or found
        widget = _current_child(widget)
        seen += 1
    return found


def help_id_for(widget: QWidget | None) -> str:
    """The help id for what the VP is looking at, starting from `widget` (e.g. the focus).

    Walks up the parent chain and returns the first declared id; a wizard answers with its
    current page first, a tab or stacked widget with its current page, a main window with its
    central widget. Nothing declared: the getting-started page."""
    seen = 0
    while widget is not None and seen < 64:
        if isinstance(widget, QWizard):
            found = _deepest(widget.currentPage())
            if found:
                return found
        found = declared_help_id(widget)
        if found:
            return found
        child = _current_child(widget)
        if child is not None and not isinstance(widget, QWizard):
            found = _deepest(child)
            if found:
                return found
        widget = widget.parentWidget()
        seen += 1
    return DEFAULT_HELP_ID


def focus_within(window: QWidget) -> QWidget:
    """The focused widget when it lies in `window` (not in the help itself), else `window`."""
    focus = QApplication.focusWidget()
    if focus is not None and (focus is window or window.isAncestorOf(focus)):
        node: QWidget | None = focus
        while node is not None and node is not window:
            if isinstance(node, HelpPanel | HelpBrowser):
                return window
            node = node.parentWidget()
        return focus
    return window


# -- the text browser ----------------------------------------------------------------------------
#: Qt's size steps (0 = the text size, 1 = large, 2 = x-large); Markdown's own are bigger.
HEADING_SIZES = {1: 2, 2: 1, 3: 0}
HEADING_COLOUR = "#1f3b57"
WHY_BACKGROUND = "#eaf2fb"
WHY_PREFIX = "Waarom:"


def polish(document: QTextDocument) -> None:
    """Calm looks for a narrow panel: smaller headings in the app's colour, small list
    indents, and the closing "Waarom:" paragraph (the protocol articles) on a tinted band."""
    document.setIndentWidth(18)
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        text = block.text().strip()
        cursor = QTextCursor(block)
        if level:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            chars = QTextCharFormat()
            chars.setProperty(QTextFormat.Property.FontSizeAdjustment,
                              HEADING_SIZES.get(level, 0))
            chars.setFontWeight(QFont.Weight.DemiBold)
            chars.setForeground(QColor(HEADING_COLOUR))
            cursor.mergeCharFormat(chars)
            shape = block.blockFormat()
            shape.setTopMargin(12 if level > 1 else 0)
            shape.setBottomMargin(4)
            QTextCursor(block).setBlockFormat(shape)
        elif text.startswith(WHY_PREFIX) or text.startswith("Why:"):
            shape = block.blockFormat()
            shape.setBackground(QColor(WHY_BACKGROUND))
            shape.setTopMargin(14)
            shape.setLeftMargin(0)
            cursor.setBlockFormat(shape)
        block = block.next()


class HelpBrowser(QTextBrowser):
    """Shows one help page; `help:` links open another page, other links are ignored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpText")
        self.help_id = ""
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._follow)
        self.document().setDocumentMargin(14)
        self.setStyleSheet(
            "QTextBrowser#helpText { background: #fbfcfd; border: none; color: #1f2d3a;"
            " font-size: 10.5pt; }")

    def show_page(self, help_id: str) -> None:
        self.help_id = help_id
        self.setMarkdown(help_text(help_id))
        polish(self.document())
        self.verticalScrollBar().setValue(0)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == HELP_SCHEME and url.path():
            self.show_page(url.path())


# -- the dock in the main window -------------------------------------------------------------
class HelpPanel(QDockWidget):
    """The help dock on the right of the main window (see the module doc)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(_("Explanation"), window)
        self.main_window = window
        self.setObjectName("helpPanel")
        self.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(6)
        self.browser = HelpBrowser()
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.setContentsMargins(10, 0, 10, 0)
        self.start_button = QPushButton(_("Getting started"))
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(lambda: self.show_help(DEFAULT_HELP_ID))
        self.close_button = QPushButton(_("Close explanation"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.start_button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.setWidget(body)
        self.setMinimumWidth(280)
        self.sized = False
        self.hide()
        self.help_action = QAction(_("Help for this screen"), window)
        self.help_action.setShortcut(QKeySequence(HELP_KEY))
        self.help_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.help_action.triggered.connect(self.toggle)
        self.start_action = QAction(_("Getting started"), window)
        self.start_action.triggered.connect(lambda: self.show_help(DEFAULT_HELP_ID))

    @classmethod
    def attach(cls, window: MainWindow, menu: QMenu | None = None) -> HelpPanel:
        """Make the panel for `window`: dock it on the right, put its actions in `menu`
        (and on the window itself, so that F1 also works while the menu bar is disabled)."""
        panel = cls(window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
        panel.hide()
        window.addAction(panel.help_action)
        if menu is not None:
            existing = menu.actions()
            if existing:
                menu.insertActions(existing[0], [panel.help_action, panel.start_action])
                menu.insertSeparator(existing[0])
            else:
                menu.addActions([panel.help_action, panel.start_action])
        window.tabs.currentChanged.connect(panel.follow)
        window.locked.connect(panel.hide)
        return panel

    @property
    def help_id(self) -> str:
        return self.browser.help_id

    def current_help_id(self) -> str:
        """The id of what the main window shows now (focus first, then the current tab)."""
        return help_id_for(focus_within(self.main_window))

    def show_help(self, help_id: str | None = None) -> None:
        """Show `help_id` (default: the current screen's) and open the panel."""
        self.browser.show_page(help_id or self.current_help_id())
        if not self.isVisible():
            self.show()
            if not self.sized:
                self.sized = True
                self.main_window.resizeDocks([self], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        self.raise_()

    def toggle(self) -> None:
        """F1: open the page of the current screen; close it when it already shows that."""
        wanted = self.current_help_id()
        if self.isVisible() and self.help_id == wanted:
            self.hide()
            return
        self.show_help(wanted)

    def follow(self) -> None:
        """While open, show the page of the tab the VP switched to."""
        if self.isVisible():
            self.browser.show_page(help_id_for(self.main_window))


# -- help beside dialogs and wizards -----------------------------------------------------------
class HelpWindow(QDialog):
    """A small non-modal window beside a (modal) dialog, with the help of its current page."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setObjectName("helpWindow")
        self.setWindowTitle(_("Explanation"))
        self.setModal(False)
        self.setWindowModality(Qt.WindowModality.NonModal)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        self.browser = HelpBrowser()
        layout.addWidget(self.browser, 1)
        row = QHBoxLayout()
        row.setContentsMargins(10, 0, 10, 0)
        row.addStretch(1)
        close = QPushButton(_("Close explanation"))
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        shortcut = QShortcut(QKeySequence(HELP_KEY), self)
        shortcut.activated.connect(self.close)
        self.resize(380, max(420, owner.height()))

    @property
    def help_id(self) -> str:
        return self.browser.help_id

    def show_page(self, help_id: str) -> None:
        self.browser.show_page(help_id)
        if not self.isVisible():
            self.place()
            self.show()
        self.raise_()

    def place(self) -> None:
        """Beside the owner: on its right, else on its left, else over its right edge."""
        frame = self.owner.frameGeometry()
        screen = self.owner.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else frame
        width = self.width()
        height = min(max(420, frame.height()), area.height())
        self.resize(width, height)
        x = frame.right() + 8
        if x + width > area.right():
            x = frame.left() - width - 8
            if x < area.left():
                x = max(area.left(), area.right() - width)
        y = min(max(area.top(), frame.top()), max(area.top(), area.bottom() - height))
        self.move(QPoint(x, y))


class DialogHelp(QObject):
    """What `install_help` adds to one dialog: the F1 key, the button, the help window."""

    def __init__(self, dialog: QWidget) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.help_window: HelpWindow | None = None
        self.shortcut = QShortcut(QKeySequence(HELP_KEY), dialog)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.toggle)
        self.button: QPushButton | None = None
        if isinstance(dialog, QWizard):
            dialog.setOption(QWizard.WizardOption.HaveHelpButton, True)
            dialog.setButtonText(QWizard.WizardButton.HelpButton, _("Explanation (F1)"))
            dialog.helpRequested.connect(self.show)
            dialog.currentIdChanged.connect(self.follow)
        else:
            box = dialog.findChild(QDialogButtonBox)
            if box is not None:
                self.button = box.addButton(_("Explanation (F1)"),
                                            QDialogButtonBox.ButtonRole.HelpRole)
                self.button.setAutoDefault(False)
                self.button.clicked.connect(self.show)

    def current_help_id(self) -> str:
        focus = focus_within(self.dialog)
        return help_id_for(focus if focus is not self.dialog else self.dialog)

    def show(self) -> None:
        if self.help_window is None:
            self.help_window = HelpWindow(self.dialog)
        self.help_window.show_page(self.current_help_id())

    def toggle(self) -> None:
        if self.help_window is not None and self.help_window.isVisible() \
                and self.help_window.help_id == self.current_help_id():
            self.help_window.close()
            return
        self.show()

    def follow(self) -> None:
        if self.help_window is not None and self.help_window.isVisible():
            self.help_window.browser.show_page(help_id_for(self.dialog))


def install_help(dialog: QWidget, help_id: str | None = None) -> DialogHelp:
    """Give `dialog` (a wizard or any dialog) its F1 help; `help_id` declares its id at once.

    For a wizard, each page declares its own id (`page.setProperty("help_id", ...)`); the
    wizard's own id, if any, is the fallback for pages without one."""
    if help_id:
        dialog.setProperty(HELP_PROPERTY, help_id)
    existing = getattr(dialog, "help_support", None)
    if isinstance(existing, DialogHelp):
        return existing
    support = DialogHelp(dialog)
    dialog.help_support = support  # type: ignore[attr-defined]
    return support


__all__ = [
    "DEFAULT_HELP_ID",
    "HelpBrowser",
    "HelpPanel",
    "HelpWindow",
    "declared_help_id",
    "help_file",
    "help_id_for",
    "help_ids",
    "help_text",
    "install_help",
]

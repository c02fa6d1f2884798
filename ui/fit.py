"""Every window fits the screen it opens on (a 1366x768 laptop at 125% or 150% is 1093x614 or
911x512 logical pixels, less the task bar).

`install_screen_fit(app)` watches the application: when a dialog, wizard or the main window
is about to be shown and would be larger than the free area of its screen, the minimum size
set in the code is lowered to that area, and what does not fit scrolls instead:
- a wizard's pages each get a scroll area (the Back/Next/Cancel row stays in view);
- a dialog's content goes into a scroll area, its closing row of buttons stays below it;
- a main-window tab's content scrolls inside its tab.
Nothing changes on a screen where the window fits. The size is fixed once per window, so a
person's own resizing is left alone; a tab opened later in the main window is fitted when it
is added.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLayout,
    QLayoutItem,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
)

FITTED = "_vertrouwd_fitted"
#: Room kept for the window frame (title bar and borders) drawn by the system.
FRAME = QSize(16, 40)


def free_area(widget: QWidget) -> QRect:
    """The part of the screen a window may use (without the task bar), less its frame.
    The primary screen: `QWidget.screen()` wrappers are not reliable in PySide6 here."""
    screen = QApplication.primaryScreen()
    free = screen.availableGeometry()
    return QRect(free.x(), free.y(), free.width() - FRAME.width(),
                 free.height() - FRAME.height())


def _only_scroll_area(layout: QLayout) -> bool:
    items = [layout.itemAt(i) for i in range(layout.count())]
    parts = [i for i in items if i is not None and (i.widget() or i.layout()) is not None]
    return len(parts) == 1 and isinstance(parts[0].widget(), QAbstractScrollArea)


def _scrolling(content: QWidget, free: QRect | None) -> QScrollArea:
    """`content` scrolling up and down; as wide as it needs while the screen has the room
    (a sideways scroll bar only when even the whole screen is too narrow)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    if free is not None:
        bar = area.style().pixelMetric(area.style().PixelMetric.PM_ScrollBarExtent)
        need = content.minimumSizeHint().width() + bar + 4
        if need <= free.width() - 40:
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            area.setMinimumWidth(need)
    return area


def scroll_contents(owner: QWidget, keep_last: bool = False,
                    free: QRect | None = None) -> bool:
    """Move the layout of `owner` into a scroll area inside `owner`. With `keep_last`, a last
    row of buttons (a QDialogButtonBox, or a row holding only buttons) stays outside, in view.
    False when there is nothing to move or it already scrolls."""
    layout = owner.layout()
    if layout is None or layout.count() == 0 or _only_scroll_area(layout):
        return False
    footer: QLayoutItem | None = None
    if keep_last and _is_button_row(layout.itemAt(layout.count() - 1)):
        footer = layout.takeAt(layout.count() - 1)
    margins = layout.contentsMargins()
    inner = QWidget()
    inner.setLayout(layout)  # takes the layout, and its widgets, away from `owner`
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(margins)
    layout.setContentsMargins(0, 0, 6, 0)
    outer.addWidget(_scrolling(inner, free), 1)
    if footer is not None:
        footer_widget, footer_layout = footer.widget(), footer.layout()
        if footer_widget is not None:
            outer.addWidget(footer_widget)
        elif footer_layout is not None:
            outer.addLayout(footer_layout)
    return True


def _is_button_row(item: QLayoutItem | None) -> bool:
    if item is None:
        return False
    widget = item.widget()
    if widget is not None:
        return isinstance(widget, QDialogButtonBox)
    row = item.layout()
    if not isinstance(row, QBoxLayout):
        return False
    items = [row.itemAt(i) for i in range(row.count())]
    buttons = [w for item in items if item is not None and (w := item.widget()) is not None]
    return bool(buttons) and all(isinstance(w, QAbstractButton) for w in buttons)


def _too_big(widget: QWidget, free: QRect) -> bool:
    need = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    return need.width() > free.width() or need.height() > free.height()


def fit_tabs(window: QMainWindow, free: QRect) -> None:
    """Tab pages wider than the room beside an open help panel scroll inside their tab."""
    from ui.help import PANEL_WIDTH

    room = free.width() - PANEL_WIDTH
    for tabs in window.findChildren(QTabWidget):
        for index in range(tabs.count()):
            page = tabs.widget(index)
            if page is None or page.property(FITTED):
                continue
            if page.minimumSizeHint().width() > room:
                page.setProperty(FITTED, True)
                scroll_contents(page)


def fit_window(window: QWidget) -> None:
    """Make `window` fit the free area of the screen (see the module doc)."""
    free = free_area(window)
    # The width the content needs side by side, measured before anything scrolls.
    wide = max(window.minimumSizeHint().width(), window.sizeHint().width(),
               window.minimumWidth())
    if isinstance(window, QWizard):
        if _too_big(window, free):
            for page_id in window.pageIds():
                page = window.page(page_id)
                if page is not None:
                    scroll_contents(page, free=free)
    elif isinstance(window, QMainWindow):
        fit_tabs(window, free)
    elif isinstance(window, QDialog) and _too_big(window, free):
        scroll_contents(window, keep_last=True, free=free)
    low = window.minimumSize().boundedTo(free.size())
    if not isinstance(window, QMainWindow):
        low.setWidth(min(free.width(), max(low.width(), wide)))
    window.setMinimumSize(low)
    size = window.size().expandedTo(low).boundedTo(free.size())
    if size != window.size():
        window.resize(size)
    if not window.isWindow():
        return
    # Keep the whole window on the screen.
    geometry = window.frameGeometry()
    x = min(max(geometry.x(), free.x()), free.right() - size.width())
    y = min(max(geometry.y(), free.y()), free.bottom() - size.height())
    if (x, y) != (geometry.x(), geometry.y()):
        window.move(max(free.x(), x), max(free.y(), y))


class ScreenFit(QObject):
    """Fits each dialog, wizard and main window once, just before it is first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            event.type() == QEvent.Type.LayoutRequest
            and isinstance(watched, QMainWindow)
            and watched.property(FITTED)
        ):
            fit_tabs(watched, free_area(watched))  # a case file opened in a new tab
            return False
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, (QDialog, QMainWindow))
            and watched.isWindow()
            and not watched.property(FITTED)
        ):
            watched.setProperty(FITTED, True)
            fit_window(watched)
        return False


def install_screen_fit(app: QApplication) -> ScreenFit:
    fitter = ScreenFit(app)
    app.installEventFilter(fitter)
    return fitter


def grow_to_fit(dialog: QWidget) -> None:
    """Make a dialog tall enough for a message that just appeared (a word-wrapped label
    needs its height for the dialog's width; a shown label does not resize the dialog)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    free = free_area(dialog)
    needed = min(needed, free.height())
    if dialog.height() < needed:
        dialog.resize(width, needed)


class FlowLayout(QLayout):
    """Buttons side by side that continue on a next line when the window is narrow (a row of
    buttons then never makes the window wider than a laptop screen). `addStretch` keeps the
    QHBoxLayout calls working; it only adds a little room."""

    def __init__(self, spacing: int = 6) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def addStretch(self, _stretch: int = 0) -> None:  # noqa: N802 - QHBoxLayout's name
        """Nothing to stretch in a flow; kept so a row can switch layouts unchanged."""

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = sum(i.sizeHint().width() + self.spacing() for i in self._visible())
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _place(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._visible():
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x = area.x()
                y += line + self.spacing()
                line = 0
            if move:
                item.setGeometry(QRect(x, y, hint.width(), hint.height()))
            x += hint.width() + self.spacing()
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()

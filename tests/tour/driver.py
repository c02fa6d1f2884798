"""The tour's engine: drives a real MainWindow the way a person would, step by step.

A scene is a generator function `scene(t)` that yields commands made by the `Tour` helpers:
`yield t.click(button)`, `dialog = yield t.modal()`, `yield t.shot("slug")`. The engine runs
every command from a Qt timer, so a click that opens a modal dialog (whose `exec()` starts a
nested event loop) simply keeps the tour going inside that loop: the next command is a timer
that fires in it. Nothing is built directly: the tour only clicks, double-clicks, presses keys
and triggers the window's own menu actions; dialogs are found with
`QApplication.activeModalWidget()`.

Every action is written down in words (`via`), so each picture says how a person gets there.
Each picture is also checked for what a small screen hides: a window larger than the screen,
and buttons that lie (partly) outside their window.
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QMenu,
    QMessageBox,
    QRadioButton,
    QTabWidget,
    QWidget,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class TourError(Exception):
    """A screen could not be reached the way a person reaches it."""


Command = Any
SceneFn = Callable[["Tour"], Generator[Command, Any, None]]


@dataclass(frozen=True)
class Scene:
    """A path from the main window that shows `slugs`, in this order."""

    name: str
    slugs: tuple[str, ...]
    run: SceneFn


@dataclass
class Shot:
    slug: str
    png: str
    via: str
    size: tuple[int, int]
    problems: list[str] = field(default_factory=list)


@dataclass
class _Do:
    action: Callable[[], Any]
    settle: int


@dataclass
class _Until:
    predicate: Callable[[], Any]
    timeout: int
    what: str


def plain(text: str) -> str:
    """A button or menu text as a person reads it (no mnemonic ampersands)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def fit_problems(top: QWidget) -> list[str]:
    """What does not fit: the window against the screen's free area, and every visible button
    against the window (a button cut off or outside cannot be used)."""
    problems: list[str] = []
    screen = QApplication.primaryScreen()  # (QWidget.screen() wrappers crash PySide here)
    free = screen.availableGeometry()
    frame = top.frameGeometry()
    if frame.width() > free.width() or frame.height() > free.height():
        problems.append(
            f"window {frame.width()}x{frame.height()} larger than the screen "
            f"{free.width()}x{free.height()}"
        )
    inside = top.rect()
    for button in top.findChildren(QAbstractButton):
        if not button.isVisibleTo(top) or button.width() <= 1:
            continue
        if button.window() is not top:
            continue
        corner = button.mapTo(top, QPoint(0, 0))
        rect = button.rect().translated(corner)
        if not inside.contains(rect) and _unclipped_by_scrolling(button, top):
            problems.append(f"button '{plain(button.text()) or button.objectName()}' "
                            f"outside the window at {rect.x()},{rect.y()}")
    return problems


def _unclipped_by_scrolling(button: QWidget, top: QWidget) -> bool:
    """A button inside a scroll area may lie outside the window: the person scrolls to it."""
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = button.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return False
        parent = parent.parentWidget()
    return True


class Tour:
    """Runs scenes against `window`, saving OUTDIR/NN-slug.png and OUTDIR/tour.json."""

    def __init__(self, window: MainWindow, outdir: Path, *, quick: bool = False,
                 expected: Sequence[str] = ()) -> None:
        self.window = window
        self.outdir = outdir
        self.quick = quick
        self.settle = 40 if quick else 150
        self.expected = list(expected)
        self.shots: list[Shot] = []
        self.failures: dict[str, str] = {}
        self.trail: list[str] = []
        self.scenes: list[Scene] = []
        self.index = -1
        self.generator: Generator[Command, Any, None] | None = None
        self.modal_before: QWidget | None = None
        self.done: Callable[[], None] = lambda: None
        self.started = 0.0
        self.timings: dict[str, float] = {}

    # -- running ----------------------------------------------------------------------------
    def start(self, scenes: Sequence[Scene], done: Callable[[], None]) -> None:
        self.scenes = list(scenes)
        self.done = done
        QTimer.singleShot(0, self._next_scene)

    def _next_scene(self) -> None:
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            self._sweep()
            return
        self.index += 1
        if self.index >= len(self.scenes):
            self.write_json()
            self.done()
            return
        scene = self.scenes[self.index]
        self.trail = []
        self.window.activateWindow()  # as on a desktop when the last dialog closes
        self.started = time.monotonic()
        self.generator = scene.run(self)
        self._advance(None, None)

    def _advance(self, value: Any, error: BaseException | None) -> None:
        assert self.generator is not None
        try:
            if error is not None:
                command = self.generator.throw(error)
            else:
                command = self.generator.send(value)
        except StopIteration:
            self._end_scene(None)
            return
        except Exception as exc:  # noqa: BLE001 - the tour reports, then goes on
            self._end_scene(exc)
            return
        self._schedule(command)

    def _schedule(self, command: Command) -> None:
        if isinstance(command, _Do):
            box: dict[str, Any] = {}

            def act() -> None:
                self.modal_before = QApplication.activeModalWidget()
                try:
                    box["value"] = command.action()
                except Exception as exc:  # noqa: BLE001
                    box["error"] = exc

            QTimer.singleShot(0, act)
            QTimer.singleShot(command.settle,
                              lambda: self._advance(box.get("value"), box.get("error")))
        elif isinstance(command, _Until):
            waited = [0]

            def poll() -> None:
                try:
                    found = command.predicate()
                except Exception as exc:  # noqa: BLE001
                    self._advance(None, exc)
                    return
                if found:
                    QTimer.singleShot(self.settle, lambda: self._advance(found, None))
                elif waited[0] >= command.timeout:
                    self._advance(None, TourError(f"waited {command.timeout} ms for "
                                                  f"{command.what}"))
                else:
                    waited[0] += 40
                    QTimer.singleShot(40, poll)

            QTimer.singleShot(0, poll)
        else:
            self._advance(None, TourError(f"unknown command {command!r}"))

    def _end_scene(self, error: BaseException | None) -> None:
        scene = self.scenes[self.index]
        self.timings[scene.name] = round(time.monotonic() - self.started, 2)
        if error is not None:
            shot = {s.slug for s in self.shots}
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            for slug in scene.slugs:
                if slug not in shot:
                    self.failures[slug] = f"{scene.name}: {detail} (after: {self.path()})"
            # What the person would see at that moment, to find out why.
            target = QApplication.activeModalWidget() or self.window
            target.grab().save(str(self.outdir / f"FAILED-{scene.name}.png"))
        self.generator = None
        self._sweep()

    def _sweep(self) -> None:
        """Close what a scene left open, one dialog per tick (closing one may open a question,
        whose nested loop the next tick runs in), then start the next scene."""
        popup = QApplication.activePopupWidget()
        modal = QApplication.activeModalWidget()
        if popup is None and modal is None:
            QTimer.singleShot(self.settle, self._next_scene)
            return
        QTimer.singleShot(self.settle, self._sweep)
        if popup is not None:
            popup.close()
        elif isinstance(modal, QMessageBox):
            roles = (QMessageBox.ButtonRole.DestructiveRole, QMessageBox.ButtonRole.RejectRole,
                     QMessageBox.ButtonRole.NoRole)
            for role in roles:
                chosen = next((b for b in modal.buttons() if modal.buttonRole(b) == role), None)
                if chosen is not None:
                    chosen.click()
                    return
            modal.reject()
        elif isinstance(modal, QDialog):
            modal.reject()
        elif modal is not None:
            modal.close()

    # -- the words of the path --------------------------------------------------------------
    def path(self) -> str:
        return " › ".join(self.trail) or "start"

    def note(self, words: str) -> None:
        self.trail.append(words)

    # -- commands ---------------------------------------------------------------------------
    def do(self, words: str, action: Callable[[], Any], settle: int | None = None) -> _Do:
        self.note(words)
        return _Do(action, self.settle if settle is None else settle)

    def until(self, what: str, predicate: Callable[[], Any], timeout: int = 8000) -> _Until:
        return _Until(predicate, timeout, what)

    def click(self, widget: QWidget | None, words: str | None = None) -> _Do:
        if widget is None:
            raise TourError(f"no button to click for {words!r}")
        text = words or f"klik “{plain(getattr(widget, 'text', lambda: '')())}”"

        def act() -> None:
            if not widget.isVisible():
                raise TourError(f"{text}: the button is not visible")
            if not widget.isEnabled():
                raise TourError(f"{text}: the button is disabled")
            point = widget.rect().center()
            if isinstance(widget, (QCheckBox, QRadioButton)):
                point = QPoint(min(8, widget.width() // 2), widget.height() // 2)  # the box
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             point)

        return self.do(text, act)

    def key(self, widget: QWidget | None, key: Qt.Key, words: str,
            modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> _Do:
        def act() -> None:
            target = widget or QApplication.focusWidget() or self.window
            QTest.keyClick(target, key, modifier)

        return self.do(words, act)

    def write(self, widget: QWidget, text: str, words: str | None = None) -> _Do:
        def act() -> None:
            widget.setFocus()
            QTest.keyClicks(widget, text)

        return self.do(words or f"typ “{text}”", act, settle=self.settle)

    def choose(self, combo: QComboBox, text: str) -> _Do:
        """Pick `text` in a drop-down with the arrow keys, as a person with a keyboard does."""

        def act() -> None:
            target = combo.findText(text)
            if target < 0:
                raise TourError(f"“{text}” is not in the list")
            combo.setFocus()
            while combo.currentIndex() != target:
                step = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
                before = combo.currentIndex()
                QTest.keyClick(combo, step)
                if combo.currentIndex() == before:
                    raise TourError(f"cannot move to “{text}” with the arrow keys")

        return self.do(f"kies “{text}”", act)

    def menu(self, action: QAction) -> _Do:
        """Trigger one of the window's menu actions; the path names the menus."""
        path = self._menu_path(action)
        if path is None:
            raise TourError(f"“{plain(action.text())}” is in no menu")

        def act() -> None:
            if not action.isEnabled():
                raise TourError(f"menu {path}: disabled")
            action.trigger()

        return self.do(f"menu {path}", act)

    def _menu_path(self, action: QAction) -> str | None:
        def search(menu: QMenu, trail: list[str]) -> str | None:
            for item in menu.actions():
                if item is action:
                    return " › ".join([*trail, plain(item.text())])
                sub = item.menu()
                if isinstance(sub, QMenu):
                    found = search(sub, [*trail, plain(sub.title())])
                    if found:
                        return found
            return None

        for top in self.window.menuBar().actions():
            sub = top.menu()
            if isinstance(sub, QMenu):
                found = search(sub, [plain(sub.title())])
                if found:
                    return found
        return None

    def tab(self, tabs: QTabWidget, title: str) -> _Do:
        def act() -> None:
            bar = tabs.tabBar()
            for index in range(tabs.count()):
                if plain(tabs.tabText(index)) == title:
                    QTest.mouseClick(bar, Qt.MouseButton.LeftButton,
                                     Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
                    if tabs.currentIndex() != index:
                        raise TourError(f"tab “{title}” did not open")
                    return
            raise TourError(f"no tab “{title}”")

        return self.do(f"tabblad “{title}”", act)

    def double_click(self, view: QAbstractItemView, row: int, words: str,
                     column: int = 0) -> _Do:
        def act() -> None:
            model = view.model()
            index = model.index(row, column)
            if not index.isValid():
                raise TourError(f"{words}: no row {row}")
            view.scrollTo(index)
            point = view.visualRect(index).center()
            viewport = view.viewport()
            QTest.mouseClick(viewport, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, point)
            QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton,
                              Qt.KeyboardModifier.NoModifier, point)

        return self.do(words, act)

    def modal(self, kind: type | None = None, what: str = "a dialog") -> _Until:
        """Wait for a (new) modal dialog, optionally of class `kind` (or a subclass)."""
        before = self.modal_before

        def found() -> QWidget | None:
            widget = QApplication.activeModalWidget()
            if widget is None or not widget.isVisible() or widget is before:
                return None
            if kind is not None and not isinstance(widget, kind):
                return None
            return widget

        return self.until(what, found)

    def popup(self) -> _Until:
        return self.until("a menu", QApplication.activePopupWidget)

    def gone(self, widget: QWidget, what: str = "the dialog to close") -> _Until:
        return self.until(what, lambda: not widget.isVisible())

    def wait(self, ms: int) -> _Do:
        return _Do(lambda: None, ms)

    def shot(self, slug: str, widget: QWidget | None = None) -> _Do:
        """Save the picture of `widget` (default: the dialog on top, else the main window)."""
        via = self.path()

        def act() -> None:
            target = (widget or QApplication.activePopupWidget()
                      or QApplication.activeModalWidget() or self.window)
            QApplication.processEvents()
            number = len(self.shots) + 1
            name = f"{number:02d}-{slug}.png"
            picture = target.grab()
            if not picture.save(str(self.outdir / name)):
                raise TourError(f"could not save {name}")
            top = target.window()
            self.shots.append(Shot(slug, name, via,
                                   (picture.width(), picture.height()), fit_problems(top)))

        return _Do(act, 0)

    # -- the record -------------------------------------------------------------------------
    def write_json(self) -> None:
        record = [
            {"slug": s.slug, "png": s.png, "via": s.via, "size": list(s.size),
             **({"problems": s.problems} if s.problems else {})}
            for s in self.shots
        ]
        (self.outdir / "tour.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")

    def missing(self) -> dict[str, str]:
        """Every expected slug that has no picture, with the reason."""
        shot = {s.slug for s in self.shots}
        return {
            slug: self.failures.get(slug, "no scene shows it")
            for slug in self.expected
            if slug not in shot
        }

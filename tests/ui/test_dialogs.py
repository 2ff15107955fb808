"""The modal dialogs on small terminals: what they ask stays whole, their keys on screen."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Label

from tests.ui.conftest import AppFactory, settle
from tui.ui.screens.dialogs import ConfirmDialog, NoteDialog
from tui.ui.widgets.footer import KeysFooter

QUESTIONS = (
    "Mark 100,000 unread stories here as read?",  # M in a big view
    "Replace /home/ana/Documents/news/newsdesk-subscriptions.opml?",  # an OPML export
)


def shown(widget: Widget) -> str:
    """What a widget draws without its spaces and borders (a path may wrap mid-word)."""
    words = [w for s in widget.render_lines(widget.region.reset_offset) for w in s.text.split()]
    return "".join(word for word in words if any(c.isalnum() for c in word))


def unspaced(text: str) -> str:
    return "".join(text.split())


def inside(widget: Widget, outer: Region) -> bool:
    return outer.contains_region(widget.region)


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
@pytest.mark.parametrize("question", QUESTIONS)
async def test_confirm_question_wraps_whole_with_its_buttons(
    new_app: AppFactory, size: tuple[int, int], question: str
) -> None:
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog(question))
        await pilot.pause()
        dialog = app.screen.query_one("#confirm-dialog")
        room = dialog.content_region.intersection(app.screen.region)
        label = dialog.query_one(Label)
        assert shown(label) == unspaced(question) and inside(label, room)
        buttons = list(dialog.query(Button))
        assert [shown(button) for button in buttons] == ["Yes(y)", "No(n)"]
        assert all(inside(button, room) for button in buttons)


@pytest.mark.parametrize(("destructive", "enter_says"), [(False, True), (True, False)])
async def test_enter_says_no_to_a_question_whose_yes_cannot_be_undone(
    new_app: AppFactory, destructive: bool, enter_says: bool
) -> None:
    # "Replace FILE?" and "Unsave and delete?": Enter, pressed out of habit, keeps what is
    # there; y still says yes. Marking read (undone with u) keeps Enter for yes.
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        answers: list[bool | None] = []
        app.push_screen(
            ConfirmDialog("Replace notes.opml?", destructive=destructive), answers.append
        )
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        app.push_screen(
            ConfirmDialog("Replace notes.opml?", destructive=destructive), answers.append
        )
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert answers == [enter_says, True]


@pytest.mark.parametrize("size", [(40, 12), (80, 24)])
async def test_a_note_shows_its_own_keys_and_enter_closes_it(
    new_app: AppFactory, size: tuple[int, int]
) -> None:
    # Over a dialog the footer still offered the main view's keys (Read, Save, Search...),
    # which did nothing there; Enter did not close a note whose one answer is OK, and ctrl+p
    # opened the palette over it.
    app = new_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        main = app.screen
        app.push_screen(NoteDialog("Import: added 1 feed", *[f"skipped: {n}" for n in range(40)]))
        await settle(pilot)
        note = app.screen
        footer = note.query_one(KeysFooter)
        assert footer.labels[:3] == ["Close", "Page down", "Page up"]
        assert not {"Read", "Save", "Search", "Commands"} & set(footer.labels)
        assert not footer.region.overlaps(note.query_one("#note-dialog").region)
        text = note.query_one("#note-scroll")
        await pilot.press("pagedown")
        await pilot.pause()
        assert text.scroll_y > 0
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen is note
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main

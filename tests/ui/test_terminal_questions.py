"""What the terminal can draw is asked of a real terminal (a pseudo-terminal whose other end
these tests play), before Textual starts: Kitty graphics only where the terminal says so and
does not list Sixel, the cell's size as the terminal gives it, Pillow left unloaded until a
picture is drawn unless Kitty is used, and nothing the user types taken for an answer."""

from __future__ import annotations

import os
import select
import sys
import time

import pytest

from tui.ui import terminal

pty = pytest.importorskip("pty")  # pseudo-terminals: POSIX only

CHILD = """
import os, select, sys, termios, tty
from tui.ui import images, terminal
terminal.ask(sys.argv[1])
terminal.answered()
kitty = "kitty" if terminal.kitty_graphics else "half blocks"
pillow = "pillow loaded" if "PIL.Image" in sys.modules else "pillow not loaded"
tty.setcbreak(0, termios.TCSANOW)  # TCSAFLUSH would drop the typed keys
typed = os.read(0, 16).decode() if select.select([0], [], [], 0)[0] else ""
print(f"<{kitty}, {pillow}, cell {images.cell_size()}, typed {typed!r}>")
"""

DEVICE_ATTRIBUTES = b"\x1b[c"
KITTY_QUERY = b"\x1b_G"
CELL_QUERY = b"\x1b[16t"
KITTY_OK = b"\x1b_Gi=31;OK\x1b\\"
PLAIN = b"\x1b[?62;22c"


PLAIN_TERMINAL = {"TERM": "xterm-256color", "TMUX": "", "STY": ""}
"""The environment of a terminal on its own (the tests may run inside tmux)."""


def ask_in_terminal(
    answers: dict[bytes, bytes],
    mode: str = "auto",
    typed: bytes = b"",
    env: dict[str, str] = PLAIN_TERMINAL,
    latency: float = 0.0,
    child: str = CHILD,
) -> str:
    """Run CHILD with the images setting `mode` on a pseudo-terminal that answers every
    question starting with a key of `answers` by its value, in the order asked (and nothing
    else), `latency` seconds later as over a network, and then has `typed` typed; what CHILD
    concluded."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin and stdout are the terminal
        os.execve(sys.executable, [sys.executable, "-c", child, mode], {**os.environ, **env})
    seen, done = b"", 0
    while b">" not in seen.rpartition(b"<")[2]:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child has closed the terminal
            break
        seen += chunk
        asked = sorted((at, q) for q in answers if (at := seen.find(q, done)) >= 0)
        reply = b"".join(answers[question] for _, question in asked)
        done = max([done, *(at + len(question) for at, question in asked)])
        if any(question == DEVICE_ATTRIBUTES for _, question in asked):
            reply += typed  # in the same write: typed as the answer comes, not after it
        if reply:
            time.sleep(latency)  # the link's round trip, not a wait for the child
            os.write(fd, reply)
    os.close(fd)
    os.waitpid(pid, 0)
    return seen.rpartition(b"<")[2].partition(b">")[0].decode()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {DEVICE_ATTRIBUTES: PLAIN, KITTY_QUERY: KITTY_OK},
            "kitty, pillow loaded, cell (10, 20)",
        ),
        (  # Sixel and Kitty both: textual-image would draw Sixel, so half blocks here
            {DEVICE_ATTRIBUTES: b"\x1b[?62;4;22c", KITTY_QUERY: KITTY_OK},
            "half blocks, pillow not loaded, cell (10, 20)",
        ),
        (
            {DEVICE_ATTRIBUTES: PLAIN, KITTY_QUERY: b"\x1b_Gi=31;EINVAL:bad c\x1b\\"},
            "half blocks, pillow not loaded, cell (10, 20)",
        ),
        (
            {DEVICE_ATTRIBUTES: PLAIN, CELL_QUERY: b"\x1b[6;18;9t"},
            "half blocks, pillow not loaded, cell (9, 18)",
        ),
        ({}, "half blocks, pillow not loaded, cell (10, 20)"),  # a terminal that answers nothing
    ],
    ids=["kitty", "sixel", "refused", "cell size", "silent"],
)
def test_the_terminal_is_asked_what_it_draws(answers: dict[bytes, bytes], expected: str) -> None:
    assert ask_in_terminal(answers) == expected + ", typed ''"


@pytest.mark.parametrize(
    "env",
    [{"TMUX": "/tmp/tmux-0/default,1,0"}, {"TERM": "screen-256color", "STY": "1.pts-0"}],
    ids=["tmux", "screen"],
)
def test_inside_tmux_or_screen_the_kitty_question_is_not_asked(env: dict[str, str]) -> None:
    # tmux takes the question's form (an APC string) for the pane's title: its status line
    # showed "Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA" for as long as newsdesk ran.
    answers = {DEVICE_ATTRIBUTES: PLAIN, KITTY_QUERY: KITTY_OK}
    assert ask_in_terminal(answers, env={**PLAIN_TERMINAL, **env}).startswith("half blocks")


def test_with_images_as_blocks_a_kitty_terminal_still_gets_half_blocks() -> None:
    answers = {DEVICE_ATTRIBUTES: PLAIN, KITTY_QUERY: KITTY_OK, CELL_QUERY: b"\x1b[6;18;9t"}
    assert ask_in_terminal(answers, mode="blocks") == (
        "half blocks, pillow not loaded, cell (9, 18), typed ''"
    )


def test_a_key_typed_as_the_terminal_answers_is_kept_for_the_app() -> None:
    # The terminal answers the device attributes only (as tmux and most terminals do), and
    # the user is already typing: the key must reach the app, not be read as an answer.
    outcome = ask_in_terminal({DEVICE_ATTRIBUTES: PLAIN}, typed=b"j")
    assert outcome == "half blocks, pillow not loaded, cell (10, 20), typed 'j'"


def test_answers_coming_a_round_trip_later_over_ssh_are_read_not_typed() -> None:
    # 0.1 s was waited per byte: over SSH the answer came later, and Textual read it as keys
    # typed, "?1;2c", whose "?" opened the help at every start.
    answers = {DEVICE_ATTRIBUTES: PLAIN, KITTY_QUERY: KITTY_OK}
    assert ask_in_terminal(answers, latency=0.4) == "kitty, pillow loaded, cell (10, 20), typed ''"


EMOJI_CHILD = """
import sys
from tui.cells import drawable, terminal_cells
from tui.ui import terminal
terminal.ask(sys.argv[1])
terminal.answered()
drawn = [drawable(text) for text in (terminal.JOINED, terminal.TONED, terminal.WIDENED)]
print(f"<{ascii(drawn)} in {[terminal_cells(text) for text in drawn]} cells>")
"""


def _positions(columns: tuple[int, int, int]) -> dict[bytes, bytes]:
    """A terminal's answers to the emoji questions: the cursor's column after each."""
    probes = (terminal.JOINED, terminal.TONED, terminal.WIDENED)
    return {
        f"{probe}\x1b[6n".encode(): f"\x1b[5;{column}R".encode()
        for probe, column in zip(probes, columns, strict=True)
    }


@pytest.mark.parametrize(
    ("columns", "expected"),
    [  # kitty, WezTerm: each one emoji of two cells
        (
            (3, 3, 3),
            r"['\U0001f469\u200d\U0001f4bb', '\U0001f44d\U0001f3fd', '\u2764\ufe0f'] in [2, 2, 2]",
        ),
        # tmux 3.3: the joined sequence is one emoji, the skin tone its own, ❤ one cell
        (
            (3, 5, 2),
            r"['\U0001f469\u200d\U0001f4bb', '\U0001f44d\U0001f3fd', '\u2764'] in [2, 4, 1]",
        ),
        # xterm, VTE: the parts
        ((5, 5, 2), r"['\U0001f469\U0001f4bb', '\U0001f44d\U0001f3fd', '\u2764'] in [4, 4, 1]"),
        (None, r"['\U0001f469\U0001f4bb', '\U0001f44d\U0001f3fd', '\u2764'] in [4, 4, 1]"),
    ],
    ids=["kitty", "tmux 3.3", "xterm", "silent"],
)
@pytest.mark.parametrize("images", ["auto", "off"])
def test_emoji_are_drawn_in_the_cells_the_terminal_gives_them(
    columns: tuple[int, int, int] | None, expected: str, images: str
) -> None:
    answers = {DEVICE_ATTRIBUTES: PLAIN, **(_positions(columns) if columns else {})}
    assert ask_in_terminal(answers, mode=images, child=EMOJI_CHILD) == f"{expected} cells"

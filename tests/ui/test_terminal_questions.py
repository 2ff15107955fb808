"""What the terminal can draw is asked of a real terminal (a pseudo-terminal whose other end
these tests play), before Textual starts: Kitty graphics only where the terminal says so and
does not list Sixel, and Pillow left unloaded until a picture is drawn unless Kitty is used."""

from __future__ import annotations

import os
import select
import sys

import pytest

pty = pytest.importorskip("pty")  # pseudo-terminals: POSIX only

CHILD = """
import sys
from tui.ui import terminal
terminal.ask(sys.argv[1])
terminal.answered()
kitty = "kitty" if terminal.kitty_graphics else "half blocks"
pillow = "pillow loaded" if "PIL.Image" in sys.modules else "pillow not loaded"
print(f"<{kitty}, {pillow}>")
"""

DEVICE_ATTRIBUTES = b"\x1b[c"
KITTY_QUERY = b"\x1b_G"


def ask_in_terminal(answers: dict[bytes, bytes], mode: str = "auto") -> str:
    """Run CHILD with the images setting `mode` on a pseudo-terminal that answers every
    question starting with a key of `answers` by its value (and nothing else); what CHILD
    concluded."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin and stdout are the terminal
        os.execv(sys.executable, [sys.executable, "-c", CHILD, mode])
    seen = b""
    answered = dict.fromkeys(answers, 0)
    while b">" not in seen.rpartition(b"<")[2]:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child has closed the terminal
            break
        seen += chunk
        for question, answer in answers.items():
            for _ in range(seen.count(question) - answered[question]):
                os.write(fd, answer)
                answered[question] += 1
    os.close(fd)
    os.waitpid(pid, 0)
    return seen.rpartition(b"<")[2].partition(b">")[0].decode()


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {DEVICE_ATTRIBUTES: b"\x1b[?62;22c", KITTY_QUERY: b"\x1b_Gi=1;OK\x1b\\"},
            "kitty, pillow loaded",
        ),
        (  # Sixel and Kitty both: textual-image would draw Sixel, so half blocks here
            {DEVICE_ATTRIBUTES: b"\x1b[?62;4;22c", KITTY_QUERY: b"\x1b_Gi=1;OK\x1b\\"},
            "half blocks, pillow not loaded",
        ),
        (
            {DEVICE_ATTRIBUTES: b"\x1b[?62;22c", KITTY_QUERY: b"\x1b_Gi=1;EINVAL\x1b\\"},
            "half blocks, pillow not loaded",
        ),
        ({}, "half blocks, pillow not loaded"),  # a terminal that answers nothing
    ],
    ids=["kitty", "sixel", "refused", "silent"],
)
def test_the_terminal_is_asked_what_it_draws(answers: dict[bytes, bytes], expected: str) -> None:
    assert ask_in_terminal(answers) == expected


def test_with_images_as_blocks_a_kitty_terminal_still_gets_half_blocks() -> None:
    answers = {DEVICE_ATTRIBUTES: b"\x1b[?62;22c", KITTY_QUERY: b"\x1b_Gi=1;OK\x1b\\"}
    assert ask_in_terminal(answers, mode="blocks") == "half blocks, pillow not loaded"

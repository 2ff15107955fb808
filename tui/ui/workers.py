"""Background work whose failure always reaches the user.

`background` is Textual's `work(exit_on_error=False)` plus one thing: an exception the work
lets out is posted as `WorkFailed`, which bubbles to the app, where one handler shows it in one
line. Cancellation (a newer search, leaving the screen) is not a failure.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from textual import work
from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker

from tui.ui.links import one_line

P = ParamSpec("P")
N = TypeVar("N", bound=MessagePump)


@dataclass
class WorkFailed(Message):
    """Background work `what` stopped on `error`."""

    what: str
    error: BaseException

    @property
    def line(self) -> str:
        """The one line the user sees."""
        return f"{self.what} failed: {one_line(self.error)}"


def _what(name: str) -> str:
    """`_add_feed` or `action_add_feed` -> `Add feed`."""
    words = name.strip("_").removeprefix("action_").replace("_", " ")
    return words[:1].upper() + words[1:]


def _reporting(method: Callable[Concatenate[N, P], Any]) -> Callable[Concatenate[N, P], Any]:
    what = _what(method.__name__)
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(node: N, /, *args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return await method(node, *args, **kwargs)
            except Exception as exc:
                node.post_message(WorkFailed(what, exc))
                raise

        return run_async

    @functools.wraps(method)
    def run(node: N, /, *args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return method(node, *args, **kwargs)
        except Exception as exc:
            node.post_message(WorkFailed(what, exc))  # thread-safe
            raise

    return run


def background(
    *, group: str = "default", exclusive: bool = False, thread: bool = False
) -> Callable[[Callable[Concatenate[N, P], Any]], Callable[Concatenate[N, P], Worker[Any]]]:
    """Run the decorated method in a worker; a failure is reported (see `WorkFailed`)."""

    def decorate(
        method: Callable[Concatenate[N, P], Any],
    ) -> Callable[Concatenate[N, P], Worker[Any]]:
        worker = work(group=group, exclusive=exclusive, thread=thread, exit_on_error=False)
        decorated: Callable[Concatenate[N, P], Worker[Any]] = worker(_reporting(method))
        return decorated

    return decorate

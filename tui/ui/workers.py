"""Background work whose failure always reaches the user.

`background` is Textual's `work(exit_on_error=False)` plus two things: it also decorates the
methods of a screen's helper objects (their workers run on the screen), and an exception the
work lets out is posted as `WorkFailed`, which bubbles to the app, where one handler shows it in one
line. Cancellation (a newer search, leaving the screen) is not a failure.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from tui.text import one_line

P = ParamSpec("P")


class Part(Protocol):
    """A helper object of a screen (not a widget): its workers run on `node`."""

    @property
    def node(self) -> DOMNode: ...


Owner = TypeVar("Owner", bound=DOMNode | Part)


@dataclass
class WorkFailed(Message):
    """Background work `what` stopped on `error`."""

    what: str
    error: BaseException

    @property
    def line(self) -> str:
        """The one line the user sees."""
        if isinstance(self.error, Told):
            return one_line(self.error)
        return f"{self.what} failed: {one_line(self.error)}"


class Told(Exception):
    """A failure the work words itself (what the key could not do): its message is the line."""


def _what(name: str) -> str:
    """`_add_feed` or `action_add_feed` -> `Add feed`."""
    words = name.strip("_").removeprefix("action_").replace("_", " ")
    return words[:1].upper() + words[1:]


def node_of(owner: DOMNode | Part) -> DOMNode:
    """Where `owner`'s workers run and its failures are posted from."""
    return owner if isinstance(owner, DOMNode) else owner.node


def _reporting(
    method: Callable[Concatenate[Owner, P], Any],
) -> Callable[Concatenate[Owner, P], Any]:
    what = _what(method.__name__)
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(owner: Owner, /, *args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return await method(owner, *args, **kwargs)
            except Exception as exc:
                node_of(owner).post_message(WorkFailed(what, exc))
                raise

        return run_async

    @functools.wraps(method)
    def run(owner: Owner, /, *args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return method(owner, *args, **kwargs)
        except Exception as exc:
            node_of(owner).post_message(WorkFailed(what, exc))  # thread-safe
            raise

    return run


def background(
    *, group: str = "default", exclusive: bool = False, thread: bool = False
) -> Callable[[Callable[Concatenate[Owner, P], Any]], Callable[Concatenate[Owner, P], Worker[Any]]]:
    """Run the decorated method in a worker (on the widget, or on a helper's `node`); a
    failure is reported (see `WorkFailed`)."""

    def decorate(
        method: Callable[Concatenate[Owner, P], Any],
    ) -> Callable[Concatenate[Owner, P], Worker[Any]]:
        reporting = _reporting(method)

        @functools.wraps(method)
        def start(owner: Owner, /, *args: P.args, **kwargs: P.kwargs) -> Worker[Any]:
            work = functools.partial(reporting, owner, *args, **kwargs)
            return node_of(owner).run_worker(
                work,
                name=method.__name__,
                group=group,
                exclusive=exclusive,
                thread=thread,
                exit_on_error=False,
            )

        return start

    return decorate

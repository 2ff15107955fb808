"""The terminal UI (Textual): `make_app(config, store).run()`.

The app is imported on first use of these names, so `tui.ui.terminal` can start asking the
terminal before Textual is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.ui.app import NewsdeskApp, make_app

__all__ = ["NewsdeskApp", "make_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from tui.ui import app

        return getattr(app, name)
    raise AttributeError(f"module 'tui.ui' has no attribute {name!r}")

"""The terminal UI (Textual): `make_app(config, store).run()`.

The app is imported on first use of these names, so `tui.ui.terminal` can start asking the
terminal before Textual is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.lazy import names_from

if TYPE_CHECKING:
    from tui.ui.app import NewsdeskApp, make_app

__all__ = ["NewsdeskApp", "make_app"]


__getattr__ = names_from(__name__, dict.fromkeys(__all__, "tui.ui.app"))

"""The terminal UI (Textual): `make_app(config, store).run()`."""

from tui.ui.app import NewsdeskApp, make_app

__all__ = ["NewsdeskApp", "make_app"]

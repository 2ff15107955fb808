"""Interop: bring feeds in from other readers (OPML, newsboat) and take them out again.

`opml`, `newsboat` and `discover` turn outside inputs into `FeedSpec`s; `config_edit` is the one
place that writes them into feeds.toml; `cli` is the `newsdesk feeds ...` command group. The UI
calls the same plain functions (`subscriptions.import_subscriptions`, `opml.export_opml`,
`discover.add_feed`).
"""

from __future__ import annotations


class InteropError(Exception):
    """An input that cannot be imported or a feed not found: one line, nothing written."""


class InteropFailed(InteropError):
    """The input was fine, the work could not be done: a site that does not answer, a config
    file that cannot be written (the command line's exit status 1, not 2)."""

"""Use case: two-way, offline-first sync with a server people already run.

`service.py` is the one interface (log in, feeds and categories, items since a marker, unread
and starred ids, mark read/unread, star/unstar, subscribe/unsubscribe); `ttrss.py` (Tiny Tiny
RSS JSON API) and `fever.py` (Fever API) implement it, and a Google Reader API module would be
a third. `engine.py` pushes the cache's queue of local changes, then pulls; `account.py` turns
the `[sync]` table into a service (the password from the config or a command, never a
shell); `subscriptions.py` is `feeds add/remove` on the server; `due.py` is auto-refresh's
clock (and the last sync's failure, which the TUI marks). The SQL lives in `tui/store/sync.py`.
"""

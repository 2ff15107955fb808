"""Widgets: sources pane, article list, reader, search bar, status line."""

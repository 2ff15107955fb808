"""newsdesk: a terminal news browser for web feeds and local files."""

__version__ = "0.1.0"

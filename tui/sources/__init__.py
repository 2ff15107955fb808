"""Turning an input (feed bytes, local files) into sanitized `Article`s; no SQL here."""

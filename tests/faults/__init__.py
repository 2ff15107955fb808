"""Fault injection: kill -9 mid-write, hostile strings at every door; the cache stays whole."""

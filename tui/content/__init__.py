"""Turning HTML into something a terminal can show: readable text and main-article extraction."""

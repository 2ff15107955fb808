"""`python -m tui` is the same as the `newsdesk` command."""

from tui.launch import main

# Guarded: worker processes (feed parsing) import the main module again on start.
if __name__ == "__main__":
    raise SystemExit(main())

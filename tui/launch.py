"""The `newsdesk` command's entry point: the command line, imported with the collector off.

What importing makes (modules, classes, functions, constants) is kept for the whole run, yet
the cyclic collector scans it again and again while it grows: ~3 ms of the ~30 ms of a
`newsdesk search`. Once imported, it is frozen out of every later collection (`gc.freeze`),
so a long command (a refresh, an import, the TUI) does not scan it either.
"""

import gc


def main() -> int:
    """Run `newsdesk` (`tui.cli.main`) on the process's arguments; returns the exit status."""
    gc.disable()
    try:
        from tui.cli import main as run_command
    finally:
        gc.freeze()
        gc.enable()
    return run_command()

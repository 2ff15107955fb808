"""Use case: bring sources into the cache. `run` refreshes configured sources (how many at once,
progress events), `schedule` says when a source is due, `importing` reads local paths given on
the command line."""

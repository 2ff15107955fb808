"""The memory a refresh's writer thread spends on SQLite's page cache and write-ahead log,
and when a big run (an import) may spend more: each number with the measurement behind it."""

WRITER_CACHE_KIB = 500
"""The writer's SQLite page cache: its pages are written out at each commit anyway, and every
KiB of it stays resident once filled. A cold refresh of 200 feeds x 50 peaked at 65.6 MiB with
SQLite's 16 MB, 43.5-44.1 with 2 MB, 41.9-42.6 with 500 KiB (the stories pass's peak 1.6 MiB
lower), with no CPU change measurable; a refresh into a 100k cache that probes earlier articles
spends ~5 % more system time re-reading pages from the OS's cache."""
BIG_RUN = 20_000
"""Articles stored by a run after which its writer's page cache grows to `BIG_RUN_CACHE_KIB`:
at 500 KiB, a 100,000-article import read 5.1 GB of pages back from the OS's cache in 1.26
million calls (2.6 GB and 0.63 million with this: ~1.2 s less system time), for 19 MiB more
memory, which a cold refresh of 200 feeds x 50 (10,000 articles) never takes. The stories
pass after the writes gets the small cache back: its peak sat on top of the full big one (the
100k import's peak 79 -> 67 MiB, the pass no slower)."""
BIG_RUN_CACHE_KIB = 16_000
BIG_RUN_CHECKPOINT_PAGES = 10_000
"""Pages (4 KiB) the write-ahead log holds, past `BIG_RUN`, before the writer copies it into
the database and syncs both (SQLite's default 1,000: a 100,000-article import synced 252
times, 6.5 of its ~31 s; with this the 1M import took 3-5 % less time and CPU). Not sooner:
a cold refresh's last checkpoint, at its end, would then be its whole log."""

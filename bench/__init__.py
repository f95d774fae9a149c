"""Benchmarks. They record the sample launches of ``demo/`` (December 2026 on), and only what has
happened is recorded: "today" is fixed after them (``TRACKER_TODAY``, as in the test suite) for the
benchmarks and the servers they start, unless the environment already fixes it."""

import os

os.environ.setdefault("TRACKER_TODAY", "2027-06-30")

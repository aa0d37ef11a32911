"""``python -m sxworker``: the sxworker command, as the console script runs it."""

from sxworker.research.cli import run

run()

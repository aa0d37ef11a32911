"""``scrapy crawl`` that checks the sxworker date arguments before anything starts.

A bad ``-a start=…`` must end in one line naming the argument, not in a traceback from
inside the engine, so the arguments are checked here, before the crawler is built.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from sxworker.dates import DateArgumentError, DateRange


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: Any) -> None:
        super().process_options(args, opts)
        # Checked here, before Scrapy builds the crawler and logs its banner, so that the
        # error is the only thing printed.
        if args and args[0] == "sxworker":
            spargs = opts.spargs or {}
            try:
                DateRange.from_args(spargs.get("start"), spargs.get("end"), today=date.today())
            except DateArgumentError as exc:
                sys.stderr.write(f"sxworker: error: {exc}\n")
                raise SystemExit(2) from None

"""Dates as users type them (YYYY-MM-DD) and the inclusive ranges built from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


class DateArgumentError(ValueError):
    """A date argument a user gave is wrong; the message names the argument."""


def parse_date(value: str, name: str) -> date:
    """``value`` as a date, or an error that names the argument ``name``."""
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise DateArgumentError(f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


@dataclass(frozen=True)
class DateRange:
    """Inclusive issue-date range; both ends None means "latest issue + re-check window"."""

    start: date | None
    end: date | None

    @property
    def scheduled(self) -> bool:
        return self.start is None

    def __contains__(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @classmethod
    def from_args(cls, start: str | None, end: str | None, *, today: date) -> DateRange:
        if start is None and end is None:
            return cls(None, None)
        if start is None:
            raise DateArgumentError("end: given without start; give start too (or neither)")
        first = parse_date(start, "start")
        last = parse_date(end, "end") if end is not None else today
        if first > last:
            raise DateArgumentError(f"start: {first} is after end {last}")
        return cls(first, last)

    def recheck_window(self, latest: date, days: int) -> DateRange:
        """The scheduled run's range: the latest issue and the ``days`` before it."""
        return DateRange(latest - timedelta(days=days), latest)

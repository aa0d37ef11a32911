"""How each field of an article was found: the trail ``sxworker extract --explain`` shows.

Every rule that decides a field (or decides to leave it null) notes a short reason here, so
a wrong field in the archive can be traced to the rule and the markup that made it. The
notes are stored with the article (``articles.evidence``) and exported only when asked.
"""

from __future__ import annotations

from typing import Any


class Evidence:
    """Per field, the reasons in the order the parser weighed them."""

    def __init__(self) -> None:
        self._notes: dict[str, list[str]] = {}

    def note(self, name: str, reason: str) -> None:
        notes = self._notes.setdefault(name, [])
        if reason not in notes:
            notes.append(reason)

    def notes(self, name: str) -> list[str]:
        return list(self._notes.get(name, ()))

    def as_dict(self) -> dict[str, Any]:
        return {name: list(notes) for name, notes in self._notes.items() if notes}

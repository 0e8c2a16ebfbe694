"""Query parameters read once, strictly: a wrong value is a 400 with what was wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from starlette.datastructures import QueryParams

from storage.states import ChangeKind
from storyline.web.app import BadRequest

#: the kinds of change a page can filter by (the ``kinds`` stored on each version)
KINDS = tuple(str(kind) for kind in ChangeKind)


def integer(
    params: QueryParams, name: str, default: int | None = None, minimum: int = 1
) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise BadRequest(f"{name} must be at least {minimum}")
    return value


def moment(params: QueryParams, name: str, *, end_of_day: bool = False) -> datetime | None:
    """A day (``2026-11-02``: its start, or the next day's start for an end) or an ISO time."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime.combine(day, time(), tzinfo=UTC)
            return start + timedelta(days=1) if end_of_day else start
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"{name} must be a day (YYYY-MM-DD) or an ISO 8601 time, not {raw!r}"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ChangeFilters:
    """What the changes page, its feed and its JSON are filtered by."""

    source: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: list first versions (new articles) too
    new: bool = False
    #: only headlines containing this
    text: str | None = None
    #: only this article (its feed)
    article_id: int | None = None
    #: the bounds as given, for the form and for links to the next page
    since_text: str = ""
    until_text: str = ""

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for links to other pages of the same list)."""
        found = {
            "source": self.source,
            "kind": self.kind,
            "since": self.since_text,
            "until": self.until_text,
            "new": "1" if self.new else None,
            "text": self.text,
        }
        return {k: v for k, v in found.items() if v}


def change_filters(params: QueryParams) -> ChangeFilters:
    kind = (params.get("kind") or "").strip() or None
    if kind is not None and kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return ChangeFilters(
        source=(params.get("source") or "").strip() or None,
        kind=kind,
        since=moment(params, "since"),
        until=moment(params, "until", end_of_day=True),
        new=params.get("new") in ("1", "on", "true"),
        text=(params.get("text") or "").strip() or None,
        since_text=(params.get("since") or "").strip(),
        until_text=(params.get("until") or "").strip(),
    )

"""Which database failures are worth retrying: the transaction lost a race, not a fault.

PostgreSQL aborts one of two transactions that wait for each other (deadlock, SQLSTATE
40P01) and, at stricter isolation levels, one that cannot be serialised (40001). Run again,
the same work succeeds; logging it as a lost page would be wrong.
"""

from __future__ import annotations

TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` (or what it wraps) is a deadlock or a serialisation failure."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) in TRANSIENT_SQLSTATES:
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False

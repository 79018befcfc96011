"""Lower apps announce that a centre's records changed; a higher app keeps its figures.

Monitoring keeps its aggregates in step with the records *in the same
transaction* as each write (no nightly job), but it sits above reporting,
training and incubation, which must not import it. So the writing service
calls `centre_months_changed(...)` from here, and monitoring registers the
function that refreshes its figures when its app is ready. The call is
explicit at the write, inside the service's `transaction.atomic`, so a write
that rolls back takes its figures with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

MonthsHandler = Callable[[Any, frozenset[dt.date] | None], None]

_handlers: list[MonthsHandler] = []


def on_centre_months_changed(handler: MonthsHandler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def month_of(day: dt.date | dt.datetime) -> dt.date:
    return dt.date(day.year, day.month, 1)


def centre_months_changed(center_id: Any, months: Iterable[dt.date | dt.datetime | None] | None = None) -> None:
    """The records of `center_id` changed for these months (None: the centre itself, all months)."""
    if center_id is None:
        return
    wanted = None if months is None else frozenset(month_of(m) for m in months if m is not None)
    if wanted is not None and not wanted:
        return
    for handler in _handlers:
        handler(center_id, wanted)

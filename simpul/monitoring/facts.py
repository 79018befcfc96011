"""Keeping monitoring's aggregates in step with the records (see models.py). Filled in by the facts work."""

from __future__ import annotations

import datetime as dt
from typing import Any


def refresh_centre_months(center_id: Any, months: frozenset[dt.date] | None) -> None:
    """Recompute the centre's rows for these months (None: all its months) and roll the differences up."""

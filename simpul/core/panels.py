"""Sections that higher apps add to a lower app's record page (e.g. reports on a centre's page).

The centre page belongs to centers, which cannot import reporting; reporting
registers a panel here instead, with a function that builds its context
(through reporting's own selectors, so the policy applies) or returns None
when the viewer may see nothing of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    key: str
    page: str  # e.g. "centers.center"
    template: str
    order: int
    context: Callable[[Any, Any], dict[str, Any] | None]  # (request, record) -> context or None


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(page: str, request: Any, record: Any) -> list[tuple[str, dict[str, Any]]]:
    rendered = []
    for panel in sorted((p for p in _PANELS.values() if p.page == page), key=lambda p: p.order):
        context = panel.context(request, record)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered

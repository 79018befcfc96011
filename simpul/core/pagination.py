from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Page:
    """The requested page; a page number out of range gives the nearest page."""
    paginator = Paginator(queryset, per_page or settings.SIMPUL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@dataclass
class OpenPage:
    """A page of a list too large to count on every request: it knows only whether more follows."""

    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


def paginate_open(request: HttpRequest, queryset: Any, per_page: int | None = None) -> OpenPage:
    """One page without a COUNT: one query for per_page + 1 rows (a province has hundreds of thousands)."""
    size = per_page or settings.SIMPUL_PAGE_SIZE
    try:
        number = max(1, min(int(request.GET.get("page", 1)), 100_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return OpenPage(object_list=rows[:size], number=number, per_page=size, has_next=len(rows) > size)

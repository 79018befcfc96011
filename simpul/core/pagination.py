from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
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


@dataclass
class KeysetPage:
    """A page reached from the row before or after it (keyset pagination): every page costs what the first does.

    The links carry a row's id only (`setelah` / `sebelum`), never a name: the server reads that row's sort
    values from the same scoped query, so an id outside it just gives the first page. `number` is for the
    reader only (carried in `page` by the links); nothing is counted.
    """

    object_list: list[Any]
    number: int
    per_page: int
    has_next: bool
    has_previous: bool

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    @property
    def next_cursor(self) -> Any:
        return self.object_list[-1].pk if self.object_list else None

    @property
    def previous_cursor(self) -> Any:
        return self.object_list[0].pk if self.object_list else None

    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)


AFTER, BEFORE = "setelah", "sebelum"


def _beyond(order: Sequence[str], values: Sequence[Any], *, forward: bool) -> Q:
    """Rows after (or before) `values` in `order`: `k1 >= v1 AND (k1 > v1 OR <the same for k2..>)`.

    The outer `k1 >= v1` (or `<=`) lets the database start its index walk at the cursor.
    """
    past, reach = ("gt", "gte") if forward else ("lt", "lte")
    key, value = order[-1], values[-1]
    condition = Q(**{f"{key}__{past}": value})
    for key, value in zip(reversed(order[:-1]), reversed(values[:-1]), strict=True):
        condition = Q(**{f"{key}__{reach}": value}) & (Q(**{f"{key}__{past}": value}) | condition)
    return condition


def _cursor(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def paginate_keyset(request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None) -> KeysetPage:
    """One page of `queryset`, after the row `?setelah=<id>` or before `?sebelum=<id>`, in the queryset's own
    order (ascending field or annotation names ending in a unique one, e.g. `("full_name", "id")`): two indexed
    queries whatever the depth, where an OFFSET reads every row before the page (page 200 of a province: 5,000).
    """
    order = tuple(key for key in queryset.query.order_by if isinstance(key, str) and not key.startswith("-"))
    if not order or len(order) != len(queryset.query.order_by):
        raise ValueError("paginate_keyset needs a queryset ordered by ascending field or annotation names.")
    size = per_page or settings.SIMPUL_PAGE_SIZE
    after, before = _cursor(request, AFTER), _cursor(request, BEFORE)
    cursor = after or before
    values = queryset.filter(pk=cursor).values_list(*order).first() if cursor else None
    try:
        number = max(2, min(int(request.GET.get("page", 2)), 100_000))
    except (TypeError, ValueError):
        number = 2
    if values is not None and after:
        rows = list(queryset.filter(_beyond(order, values, forward=True))[: size + 1])
        return KeysetPage(rows[:size], number=number, per_page=size, has_next=len(rows) > size, has_previous=True)
    if values is not None:
        descending = [f"-{key}" for key in order]
        rows = list(queryset.filter(_beyond(order, values, forward=False)).order_by(*descending)[: size + 1])
        if len(rows) > size:
            return KeysetPage(rows[:size][::-1], number=number, per_page=size, has_next=True, has_previous=True)
    # No cursor, one outside the list (another scope, another search, a removed row), or back at the start.
    rows = list(queryset[: size + 1])
    return KeysetPage(rows[:size], number=1, per_page=size, has_next=len(rows) > size, has_previous=False)

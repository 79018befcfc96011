from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Page:
    """The requested page; a page number out of range gives the nearest page."""
    paginator = Paginator(queryset, per_page or settings.SIMPUL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))

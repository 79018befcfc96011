"""Placeholder pages, replaced as each area lands (kept only until then)."""

from django.http import Http404, HttpRequest, HttpResponse


def not_yet(request: HttpRequest) -> HttpResponse:
    raise Http404

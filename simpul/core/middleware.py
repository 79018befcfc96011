"""Language: Bahasa Indonesia unless the person chose English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and
many phones in Indonesia are set to English; the programme's working
language is Indonesian, so only an explicit choice (the language cookie,
set by the switcher in the footer) changes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """The idle timeout, without writing the session on every request.

    A session lives SESSION_COOKIE_AGE after it was last saved. Django's
    SESSION_SAVE_EVERY_REQUEST would save (and commit) it on every request:
    a dashboard's ten panel requests of one page view meant ten session
    writes. Here the expiry moves forward at most once per RENEW_EVERY
    seconds, so a session still ends after the idle time, give or take that
    minute. Only an existing session is renewed: a visitor without one gets none.
    A request the page makes by itself (the bell's poll) sets `request.idle_exempt`:
    it is not the person's activity, so it renews nothing.
    """

    RENEW_EVERY = 60
    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if getattr(request, "idle_exempt", False):
            return response
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.RENEW_EVERY:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response


def session_renewed_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """A login saves the session: it counts as its first renewal (no second write on the next request)."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionMiddleware.KEY] = int(time.time())

"""The communication space's pages: the inbox, search, each kind of thread, direct messages, one message."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.models import ScopeLevel
from simpul.centers.selectors import center_get
from simpul.core.pagination import paginate_open

from . import access, selectors, services
from .models import COMMENT_MAX_LENGTH, Comment, Thread, ThreadKind

DIRECT_CONTACTS_SHOWN = 50
LATEST_SHOWN = 50  # messages a thread page opens on


def _message_url(comment: Comment) -> str:
    return services.thread_url(comment.thread).split("#")[0] + f"#pesan-{comment.pk}"


def _safe_next(request: AuthenticatedRequest) -> str:
    """Where a form asked to go back to (the centre page's panel), when it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


# The inbox and search


@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    readable = selectors.readable_provinces(actor=user)
    national = user.scope_level == ScopeLevel.NATIONAL
    provinces = readable if national else []
    province = None if national or not readable else readable[0]
    center = user.scope_center if user.scope_center_id and access.can_read_center(user, user.scope_center) else None
    # No count of every readable thread (a national reader has tens of thousands): a page and whether more follow.
    page = paginate_open(request, selectors.inbox(actor=user).prefetch_related("members"))
    selectors.with_unread(actor=user, threads=page.object_list)
    context = {
        "page": page,
        "province": province,
        "provinces": provinces,
        "center": center,
    }
    return render(request, "messaging/inbox.html", context)


@require_GET
def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        found = selectors.search(actor=request.user, query=query).prefetch_related("thread__members")
        page = paginate_open(request, found)
        selectors.load_targets(list({c.thread_id: c.thread for c in page.object_list}.values()))
    context = {
        "query": query,
        "page": page,
        "too_short": bool(query) and len(query) < selectors.SEARCH_MIN_LENGTH,
        "min_length": selectors.SEARCH_MIN_LENGTH,
    }
    return render(request, "messaging/search.html", context)


# One thread's page


def _thread_page(
    request: AuthenticatedRequest, thread: Thread, *, title: str, post_url: str, members: tuple[Any, ...] = ()
) -> HttpResponse:
    """Show a thread (marking it read) and take a new message in it; bad input keeps the draft (400)."""
    user = request.user
    draft, errors, status = "", {}, 200
    if request.method == "POST":
        draft = request.POST.get("body", "")
        try:
            comment = services.message_post(
                actor=user, thread=thread, body=draft, files=request.FILES.getlist("files"), members=members
            )
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}
            status = 400
            # The draft comes back to be trimmed, but never a megabyte of it (a crafted request).
            draft = draft[: 2 * COMMENT_MAX_LENGTH]
        else:
            return redirect(_safe_next(request) or _message_url(comment))
    last_read = None
    earlier = 0
    unsaved_direct = thread.kind == ThreadKind.DIRECT and thread.pk is None
    if thread.pk is not None:
        last_read = selectors.last_read_at(actor=user, thread=thread)
        comments = selectors.thread_messages(actor=user, thread=thread)
        total = comments.count()
        if total > LATEST_SHOWN and request.GET.get("semua") != "1":
            # A long thread opens on its latest messages (a phone on a slow line); the rest on request.
            earlier = total - LATEST_SHOWN
            comments = comments[earlier:]
        if status == 200:
            services.thread_mark_read(actor=user, thread=thread)
    else:
        comments = Comment.objects.none()
    context = {
        "thread": thread,
        "title": title,
        "comments": comments,
        "post_url": post_url,
        # A conversation not yet started is open to its two people (the page checked they share a scope).
        "can_post": unsaved_direct or access.can_post(user, thread),
        "can_moderate": access.can_moderate(user, thread) if thread.pk is not None else False,
        "viewer": user,
        "draft": draft,
        "errors": errors,
        "last_read_at": last_read,
        "mark_unread": thread.pk is not None,
        "earlier": earlier,
        "all_url": f"{request.path}?semua=1",
    }
    return render(request, "messaging/thread.html", context, status=status)


@require_http_methods(["GET", "POST"])
def announcements(request: AuthenticatedRequest) -> HttpResponse:
    return _thread_page(
        request,
        services.announcement_thread(),
        title=_("Pengumuman nasional"),
        post_url=reverse("messaging:announcements"),
    )


@require_http_methods(["GET", "POST"])
def province(request: AuthenticatedRequest, code: str) -> HttpResponse:
    place = selectors.province_get(actor=request.user, code=code)
    return _thread_page(
        request,
        services.province_thread(place),
        title=_("Kanal Provinsi %(name)s") % {"name": place.name},
        post_url=reverse("messaging:province", args=[place.pk]),
    )


@require_http_methods(["GET", "POST"])
def center(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    place = center_get(actor=request.user, pk=pk)
    if not access.can_read_center(request.user, place):
        raise Http404  # an entrepreneur sees the centre, not its staff's thread
    return _thread_page(
        request,
        services.center_thread(place),
        title=_("Utas %(name)s") % {"name": place.name},
        post_url=reverse("messaging:center", args=[place.pk]),
    )


@require_GET
def thread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.thread_get(actor=request.user, pk=pk)
    if found.kind != ThreadKind.DIRECT:
        return redirect(services.thread_url(found))
    other = found.members.exclude(pk=request.user.pk).first()
    if other is None:
        raise Http404
    return _thread_page(
        request, found, title=_direct_title(other), post_url=reverse("messaging:direct", args=[other.pk])
    )


# Direct messages


def _direct_title(other: Any) -> str:
    return _("Pesan langsung dengan %(name)s") % {"name": other.full_name or other.get_username()}


@require_GET
def direct_new(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    contacts = selectors.direct_contacts(actor=request.user)
    if query:
        contacts = contacts.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    contacts = contacts.order_by("full_name", "username")
    shown = list(contacts[: DIRECT_CONTACTS_SHOWN + 1])
    context = {
        "query": query,
        "contacts": shown[:DIRECT_CONTACTS_SHOWN],
        "more": len(shown) > DIRECT_CONTACTS_SHOWN,
    }
    return render(request, "messaging/direct_new.html", context)


@require_http_methods(["GET", "POST"])
def direct(request: AuthenticatedRequest, user_pk: int) -> HttpResponse:
    other = get_object_or_404(selectors.direct_contacts(actor=request.user), pk=user_pk)
    conversation = services.direct_thread_open(actor=request.user, other=other)
    return _thread_page(
        request,
        conversation,
        title=_direct_title(other),
        post_url=reverse("messaging:direct", args=[other.pk]),
        members=(request.user, other),
    )


# Comments on a record (shown on the record's page)


@require_POST
def record_post(request: AuthenticatedRequest, label: str, pk: int) -> HttpResponse:
    model = access.record_model(label)
    if model is None:
        raise Http404
    record = policy.get_or_404(request.user, model._default_manager.all(), pk=pk)
    try:
        services.comment_post(
            actor=request.user, target=record, body=request.POST.get("body", ""), files=request.FILES.getlist("files")
        )
    except ValidationError as error:
        messages.error(request, _("Komentar belum terkirim: %(why)s") % {"why": " ".join(error.messages)})
    return redirect(services.thread_url(services.record_thread(record)))


# One message


@require_http_methods(["GET", "POST"])
def message_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = selectors.message_get(actor=request.user, pk=pk)
    if comment.author_id != request.user.pk or comment.is_removed:
        raise Http404
    draft, errors, status = comment.body, {}, 200
    if request.method == "POST":
        draft = request.POST.get("body", "")
        try:
            services.message_edit(actor=request.user, comment=comment, body=draft)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, _("Pesan diubah."))
            return redirect(_message_url(comment))
    context = {"comment": comment, "draft": draft, "errors": errors, "back_url": _message_url(comment)}
    return render(request, "messaging/message_edit.html", context, status=status)


@require_POST
def message_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = selectors.message_get(actor=request.user, pk=pk)
    try:
        services.message_delete(actor=request.user, comment=comment, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pesan dihapus."))
    return redirect(_message_url(comment))


@require_POST
def message_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = selectors.message_get(actor=request.user, pk=pk)
    try:
        services.message_hide(
            actor=request.user, comment=comment, reason=request.POST.get("reason", ""), request=request
        )
    except ValidationError as error:
        messages.error(request, _("Pesan belum disembunyikan: %(why)s") % {"why": " ".join(error.messages)})
    else:
        messages.success(request, _("Pesan disembunyikan."))
    return redirect(_message_url(comment))


@require_POST
def message_unhide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = selectors.message_get(actor=request.user, pk=pk)
    services.message_unhide(actor=request.user, comment=comment, request=request)
    messages.success(request, _("Pesan ditampilkan kembali."))
    return redirect(_message_url(comment))


@require_GET
def message_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = selectors.message_get(actor=request.user, pk=pk)
    hidden_from_viewer = comment.hidden_at is not None and not (
        comment.author_id == request.user.pk or access.can_moderate(request.user, comment.thread)
    )
    versions: Any = []
    if comment.deleted_at is None and not hidden_from_viewer:
        versions = comment.history.order_by("-history_date", "-history_id")
    context = {
        "comment": comment,
        "versions": versions,
        "hidden_from_viewer": hidden_from_viewer,
        "back_url": _message_url(comment),
        "author_name": _name(comment.author),
    }
    return render(request, "messaging/message_history.html", context)


def _name(user: Any) -> str:
    return str(user.full_name or user.get_username())


_UNSAFE_NAME = re.compile(r"[^\w.\- ]+")


@require_GET
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    found = selectors.attachment_get(actor=request.user, pk=pk)
    filename = _UNSAFE_NAME.sub("_", found.name).strip() or "lampiran"
    response = FileResponse(found.file.open("rb"), content_type=found.mime, as_attachment=False, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response

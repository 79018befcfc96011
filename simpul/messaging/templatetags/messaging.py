"""The thread component on other apps' pages (`{% record_thread record %}`), and how a thread is named in lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access, selectors, services
from ..models import Thread, ThreadKind

register = template.Library()


@register.inclusion_tag("messaging/_thread.html", takes_context=True)
def record_thread(context: template.Context, record: Any) -> dict[str, Any]:
    """A record's comments and the form to add one; nothing for a viewer who may not read them."""
    request = context["request"]
    thread = services.record_thread(record)
    if not access.can_read(request.user, thread):
        return {"hidden": True}
    # Shown on the record's page is read: the inbox stops counting it, and so do the notifications leading here.
    services.thread_mark_read(actor=request.user, thread=thread)
    return {
        "comments": selectors.comment_list(actor=request.user, target=record),
        "post_url": reverse("messaging:record-post", args=[record._meta.label_lower, record.pk]),
        "can_post": access.can_post(request.user, thread),
        "can_moderate": thread.pk is not None and access.can_moderate(request.user, thread),
        "viewer": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def thread_label(thread: Thread, viewer: Any) -> str:
    """What a list calls a thread: the place, the record, or the other person of a conversation."""
    kind = thread.kind
    if kind == ThreadKind.ANNOUNCEMENT:
        return _("Pengumuman nasional")
    if kind == ThreadKind.DIRECT:
        others = [m for m in thread.members.all() if m.pk != viewer.pk]
        name = (others[0].full_name or others[0].get_username()) if others else "-"
        return _("Pesan langsung: %(name)s") % {"name": name}
    if kind == ThreadKind.PROVINCE:
        return _("Kanal Provinsi %(name)s") % {"name": thread.target}
    if kind == ThreadKind.CENTER:
        return _("Utas %(name)s") % {"name": thread.target}
    return _("Komentar: %(name)s") % {"name": thread.target}


@register.filter
def thread_link(thread: Thread) -> str:
    return services.thread_url(thread)


@register.filter
def message_link(comment: Any) -> str:
    return services.thread_url(comment.thread).split("#")[0] + f"#pesan-{comment.pk}"

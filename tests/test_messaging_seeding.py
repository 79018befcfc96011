"""The demo conversations: every place to talk has something to show, written through the real services."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from simpul.accounts.models import User
from simpul.messaging import access
from simpul.messaging.models import Comment, Notification, Thread, ThreadKind


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_has_a_conversation_in_every_kind_of_place_each_read_only_by_its_readers(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the announcement's fan-out runs after the commit
        call_command("seed", scale=0.002, seed=20171, stdout=open(os.devnull, "w"))  # noqa: SIM115
    kinds = set(Thread.objects.filter(comments__isnull=False).values_list("kind", flat=True))
    assert kinds == set(ThreadKind.values)
    manager = User.objects.get(username="pengelola.demo")
    # The report comment and the province channel mention the manager: told, by the real notify().
    assert Notification.objects.filter(recipient=manager, kind="mention").count() == 2
    # Each announcement reached every other account once.
    announcements = Comment.objects.filter(thread__kind=ThreadKind.ANNOUNCEMENT)
    assert announcements.count() == 2
    everyone_else = User.objects.filter(is_active=True).count() - 1
    for announcement in announcements:
        told = Notification.objects.filter(
            kind="announcement", dedupe_key__startswith=f"announcement:{announcement.pk}:"
        )
        assert told.count() == everyone_else
        assert not told.filter(recipient=announcement.author).exists()
    # Every demo message sits in a thread its author may read.
    for comment in Comment.objects.select_related("thread", "author"):
        assert access.can_read(comment.author, comment.thread)

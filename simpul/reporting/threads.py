"""Reporting's records with a comment thread on their page: a submission and a grant (messaging.access)."""

from __future__ import annotations

from django.urls import reverse

from simpul.messaging.access import RecordThreads, register_record

register_record(
    RecordThreads(
        "reporting.submission",
        url=lambda submission: reverse("reporting:submission", args=[submission.pk]),
        center_id=lambda submission: submission.center_id,
        related=("form", "center"),
    )
)
register_record(
    RecordThreads(
        "reporting.grant",
        url=lambda grant: reverse("reporting:grant", args=[grant.pk]),
        center_id=lambda grant: grant.center_id,
        related=("center",),
    )
)

"""Reads of the report form builder (Admin Pusat), through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import FormVersion, ReportForm, Submission, VersionStatus


def _submission_count(to_form: str) -> Coalesce:
    counts = Submission.objects.filter(**{to_form: OuterRef("pk")}).order_by().values(to_form)
    return Coalesce(Subquery(counts.annotate(n=Count("pk")).values("n")), 0, output_field=IntegerField())


def form_list(*, actor: Any) -> QuerySet[ReportForm]:
    def number(status: str) -> Subquery:
        versions = FormVersion.objects.filter(form=OuterRef("pk"), status=status).order_by("-number")
        return Subquery(versions.values("number")[:1])

    return (
        policy.scope_queryset(actor, ReportForm.objects.all())
        .annotate(
            submission_count=_submission_count("form"),
            current_number=number(VersionStatus.PUBLISHED),
            draft_number=number(VersionStatus.DRAFT),
        )
        .order_by("code")
    )


def form_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> ReportForm:
    return policy.get_or_404(actor, ReportForm.objects.all(), action, pk=pk)


def version_get(*, actor: Any, pk: Any) -> FormVersion:
    return policy.get_or_404(actor, FormVersion.objects.select_related("form", "published_by"), Action.VIEW, pk=pk)


def version_list(*, actor: Any, form: ReportForm) -> QuerySet[FormVersion]:
    """A form's versions, newest first, each with how many reports were filled in it."""
    return (
        policy.scope_queryset(actor, form.versions.all())
        .annotate(submission_count=_submission_count("version"))
        .select_related("published_by")
        .order_by("-number")
    )

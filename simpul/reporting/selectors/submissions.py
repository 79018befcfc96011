"""Reads of submissions, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, QuerySet, Value, When

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action

from ..models import OPEN_STATUSES, Attachment, Status, Submission, Transition


@dataclass(frozen=True)
class SubmissionFilters:
    form: int | None = None
    status: str = ""
    period_key: str = ""
    province: str = ""
    regency: str = ""
    q: str = ""

    def apply(self, submissions: QuerySet[Submission]) -> QuerySet[Submission]:
        if self.form:
            submissions = submissions.filter(form_id=self.form)
        if self.status:
            submissions = submissions.filter(status=self.status)
        if self.period_key:
            submissions = submissions.filter(period_key=self.period_key)
        if self.province:
            submissions = submissions.filter(center__province_id=self.province)
        if self.regency:
            submissions = submissions.filter(center__regency_id=self.regency)
        if self.q:
            submissions = submissions.filter(center__name__icontains=self.q)
        return submissions


def submission_list(*, actor: Any, filters: SubmissionFilters | None = None) -> QuerySet[Submission]:
    submissions = policy.scope_queryset(actor, Submission.objects.all())
    return (
        (filters or SubmissionFilters())
        .apply(submissions)
        .select_related("form", "center", "center__regency", "center__province")
        .order_by("-period_start", "due_at", "center__name", "pk")
    )


def submission_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Submission:
    return policy.get_or_404(
        actor,
        Submission.objects.select_related("form", "version", "center", "center__province", "center__regency"),
        action,
        pk=pk,
    )


def review_queue(*, actor: Any) -> QuerySet[Submission]:
    """What waits for this person, oldest first.

    Pemda and FKN: reports sent and waiting for verification. Admin Pusat:
    verified reports waiting for approval. A centre: its returned reports,
    then what it still owes, nearest due date first.
    """
    role = getattr(actor, "role", None)
    submissions = submission_list(actor=actor)
    if role in (Role.PEMDA, Role.FKN):
        return submissions.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")
    if role == Role.ADMIN_PUSAT:
        return submissions.filter(status=Status.VERIFIED).order_by("reviewed_at", "pk")
    if role == Role.PENGELOLA:
        returned_first = Case(When(status=Status.RETURNED, then=Value(0)), default=Value(1))
        return submissions.filter(status__in=OPEN_STATUSES).order_by(returned_first, "due_at", "pk")
    return submissions.none()


def transitions_of(*, actor: Any, submission: Submission) -> QuerySet[Transition]:
    if not policy.can(actor, Action.VIEW, submission):
        return Transition.objects.none()
    return submission.transitions.select_related("actor")


def attachment_list(*, actor: Any, submission: Submission) -> QuerySet[Attachment]:
    return policy.scope_queryset(actor, Attachment.objects.filter(submission=submission)).select_related("indicator")


def attachment_get(*, actor: Any, pk: Any) -> Attachment:
    return policy.get_or_404(actor, Attachment.objects.select_related("submission"), Action.VIEW, pk=pk)

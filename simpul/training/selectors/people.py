"""Reads about people, scoped by the policy. Lists show the NIK masked; only the reveal service shows it whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Min, Q, QuerySet
from django.db.models.functions import Upper

from simpul.accounts import policy
from simpul.accounts.models import Role, ScopeLevel
from simpul.accounts.policy import Action

from ..models import WORKING, CompetencyTest, Enrolment, Outcome, Person

# Officials may follow a person across centres (double funding, repeated training, the path to a job).
CROSS_CENTRE_READERS = frozenset({Role.ADMIN_PUSAT, Role.FKN, Role.PEMDA})
AREA_LEVELS = frozenset({ScopeLevel.CENTER, ScopeLevel.REGENCY, ScopeLevel.PROVINCE})
TRIGRAM_MIN_LENGTH = 3  # pg_trgm indexes three-letter pieces; a shorter term matches so many that the walk is fast


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    center: int | None = None
    sex: str = ""


def person_list(*, actor: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    """The people the actor may see, in name order (ties by id), annotated `sort_name` for keyset pages."""
    filters = filters or PersonFilters()
    people = policy.scope_queryset(actor, Person.objects.all(), Action.VIEW)
    term = " ".join(filters.q.split())
    searched = "full_name"
    if getattr(actor, "scope_level", None) in AREA_LEVELS:
        # The policy joined the person's row of the actor's area (one per person and area): sort and search on
        # its copy of the name, so page 1, page 200 and a search walk the area's (area, name) index and stop
        # after a page instead of gathering the area's 237,000 people first. F() reuses the policy's join.
        people = people.annotate(sort_name=F("areas__full_name"))
        searched = "sort_name"
    elif connection.vendor == "postgresql" and len(term) >= TRIGRAM_MIN_LENGTH:
        # The nation: found through the trigram index (migration 0003) and only the matches sorted; walking
        # the name index in order instead reads everyone whose name sorts before the first match ("siti": 1.1
        # million people). Sorting by the upper-cased name keeps the planner off that walk; the order reads
        # the same.
        people = people.annotate(sort_name=Upper("full_name"))
    else:
        people = people.annotate(sort_name=F("full_name"))
    if term:
        people = people.filter(**{f"{searched}__icontains": term})
    if filters.center:
        people = people.filter(pk__in=Enrolment.objects.filter(package__center_id=filters.center).values("person_id"))
    if filters.sex:
        people = people.filter(sex=filters.sex)
    return people.order_by("sort_name", "id").only("id", "nik", "full_name", "sex", "birth_date", "regency_id")


def person_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Person:
    return policy.get_or_404(actor, Person.objects.select_related("province", "regency", "district"), action, pk=pk)


def person_find_by_nik(*, actor: Any, nik: str) -> Person | None:
    """The person with this NIK, if the actor may see them (the search box; the NIK never goes in a URL)."""
    return policy.scope_queryset(actor, Person.objects.all(), Action.VIEW).filter(nik=nik).first()


def person_enrolments(*, actor: Any, person: Person) -> QuerySet[Enrolment]:
    """The person's training history: across centres for officials, at the actor's own centres otherwise."""
    enrolments = Enrolment.objects.filter(person=person)
    if getattr(actor, "role", None) not in CROSS_CENTRE_READERS:
        enrolments = policy.scope_queryset(actor, enrolments, Action.VIEW)
    return enrolments.select_related("package__center", "package__vocation").order_by("-package__start_date")


def person_competency_tests(*, enrolments: QuerySet[Enrolment]) -> QuerySet[CompetencyTest]:
    return CompetencyTest.objects.filter(enrolment__in=enrolments).order_by("-tested_on")


def person_outcomes(*, enrolments: QuerySet[Enrolment]) -> QuerySet[Outcome]:
    return (
        Outcome.objects.filter(enrolment__in=enrolments)
        .select_related("enrolment__package")
        .order_by("enrolment", "wave")
    )


def waiting_weeks(graduated_on: dt.date | None, started_on: dt.date | None) -> int | None:
    """Masa tunggu: whole weeks from graduation to the first job or business (0 when it began before)."""
    if graduated_on is None or started_on is None:
        return None
    return max(0, (started_on - graduated_on).days // 7)


def first_start(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Each enrolment with `first_started_on`: when the graduate first worked or ran a business."""
    return enrolments.annotate(
        first_started_on=Min("outcomes__started_on", filter=Q(outcomes__status__in=WORKING)),
    )

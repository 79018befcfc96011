"""People pages: the list (NIK masked), find by NIK, a person's history, their personal data shown whole."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.policy import Action
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate, paginate_keyset

from ..forms import CompetencyTestForm, NikSearchForm, PersonFilterForm, PersonForm
from ..models import CompetencyTest, Enrolment, Person
from ..selectors import people as selectors
from ..selectors.certification import certificates_expiring
from ..services.certification import competency_test_record
from ..services.people import person_personal_data_reveal, person_update


@require_GET
def person_index(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Person):
        raise Http404
    filter_form = PersonFilterForm(request.GET or None)
    filters = selectors.PersonFilters()
    if filter_form.is_valid():
        filters = selectors.PersonFilters(q=filter_form.cleaned_data["q"], sex=filter_form.cleaned_data["sex"])
    people = selectors.person_list(actor=request.user, filters=filters)
    return render(
        request,
        "training/person_list.html",
        {"page": paginate_keyset(request, people), "filter_form": filter_form, "nik_form": NikSearchForm()},
    )


@require_POST
def person_find(request: AuthenticatedRequest) -> HttpResponse:
    form = NikSearchForm(request.POST)
    person = selectors.person_find_by_nik(actor=request.user, nik=form.cleaned_data["nik"]) if form.is_valid() else None
    if person is None:
        messages.error(request, _("Tidak ada peserta dengan NIK itu di wilayah Anda."))
        return redirect("training:people")
    return redirect("training:person", pk=person.pk)


def _detail(request: AuthenticatedRequest, person: Person, *, personal: bool) -> HttpResponse:
    enrolments = selectors.person_enrolments(actor=request.user, person=person)
    outcomes = selectors.person_outcomes(enrolments=enrolments)
    return render(
        request,
        "training/person_detail.html",
        {
            "person": person,
            "personal": personal,
            "enrolments": selectors.first_start(enrolments),
            "tests": selectors.person_competency_tests(enrolments=enrolments).select_related("enrolment__package"),
            "outcomes": outcomes,
            "can_reveal": policy.can(request.user, Action.VIEW_PERSONAL, person),
            "can_edit": policy.can(request.user, Action.CHANGE, person),
            "consents": person.consents.select_related("center", "recorded_by") if personal else None,
        },
    )


@require_GET
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.person_get(actor=request.user, pk=pk), personal=False)


@require_POST
def person_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Personal data whole, for who may see it; answered to a POST so it is never cached or prefetched."""
    person = person_personal_data_reveal(actor=request.user, person_id=pk, request=request)
    response = _detail(request, selectors.person_get(actor=request.user, pk=person.pk), personal=True)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = selectors.person_get(actor=request.user, pk=pk, action=Action.CHANGE)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=request.user, person_id=person.pk, **form.person_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data peserta tersimpan."))
            return redirect("training:person", pk=person.pk)
    # Every render of the form shows the personal data whole (a refused POST too): each one is a view, audited.
    person_personal_data_reveal(actor=request.user, person_id=person.pk, request=request)
    response = render(request, "training/person_form.html", {"form": form, "person": person})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def competency_test_create(request: AuthenticatedRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = policy.get_or_404(
        request.user, Enrolment.objects.select_related("person", "package"), Action.VIEW, pk=enrolment_pk
    )
    if not policy.can(request.user, Action.CREATE, CompetencyTest(enrolment=enrolment)):
        raise Http404
    form = CompetencyTestForm(request.POST or None, initial={"scheme": enrolment.package.vocation.name})
    if request.method == "POST" and form.is_valid():
        try:
            competency_test_record(actor=request.user, enrolment_id=enrolment.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Hasil uji kompetensi %(name)s tersimpan.") % {"name": enrolment.person})
            return redirect("training:package", pk=enrolment.package_id)
    return render(request, "training/competency_form.html", {"form": form, "enrolment": enrolment})


@require_GET
def expiring_certificates(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, CompetencyTest):
        raise Http404
    tests = certificates_expiring(actor=request.user)
    return render(request, "training/expiring_list.html", {"page": paginate(request, tests)})

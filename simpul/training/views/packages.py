"""Package pages: list, create, run (enrol, attendance, results), finish. Thin: parse, call, render."""

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
from simpul.centers.selectors import center_get
from simpul.core.forms import add_service_errors
from simpul.core.pagination import paginate

from ..forms import AttendanceForm, EnrolmentForm, PackageForm
from ..models import Attendance, CompetencyTest, Enrolment, Package, PackageStatus, ParticipantImport, Result
from ..selectors.packages import attendance_counts, package_get, package_list, package_session_days, with_counts
from ..services import packages as services


@require_GET
def package_index(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.allowed(request.user, Action.VIEW, Package):
        raise Http404
    packages = package_list(actor=request.user)
    status = request.GET.get("status", "")
    if status in PackageStatus.values:
        packages = packages.filter(status=status)
    center_id = request.GET.get("blk", "")
    if center_id.isdigit():
        packages = packages.filter(center_id=int(center_id))
    page = paginate(request, packages)
    page.object_list = with_counts(page.object_list)
    return render(
        request,
        "training/package_list.html",
        {
            "page": page,
            "statuses": PackageStatus.choices,
            "status": status,
            "can_create": policy.allowed(request.user, Action.CREATE, Package),
            "own_center": getattr(request.user, "scope_center_id", None),
        },
    )


@require_http_methods(["GET", "POST"])
def package_create(request: AuthenticatedRequest) -> HttpResponse:
    raw = request.GET.get("blk") or request.POST.get("blk") or getattr(request.user, "scope_center_id", None) or ""
    if not str(raw).isdigit():
        raise Http404
    center = center_get(actor=request.user, pk=int(raw))
    if not policy.can(request.user, Action.CREATE, Package(center=center)):
        raise Http404
    form = PackageForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.package_create(actor=request.user, center_id=center.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Paket %(name)s dibuat. Daftarkan pesertanya.") % {"name": package.name})
            return redirect("training:package", pk=package.pk)
    return render(request, "training/package_form.html", {"form": form, "center": center, "package": None})


@require_http_methods(["GET", "POST"])
def package_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk, action=Action.CHANGE)
    form = PackageForm(request.POST or None, instance=package, center=package.center)
    if request.method == "POST" and form.is_valid():
        try:
            services.package_update(actor=request.user, package_id=package.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perubahan paket tersimpan."))
            return redirect("training:package", pk=package.pk)
    return render(request, "training/package_form.html", {"form": form, "center": package.center, "package": package})


@require_GET
def package_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk)
    enrolments = list(
        package.enrolments.select_related("person").prefetch_related("competency_tests").order_by("person__full_name")
    )
    days = package_session_days(package)
    present = attendance_counts(package)
    can_run = policy.can(request.user, Action.CHANGE, package)
    return render(
        request,
        "training/package_detail.html",
        {
            "package": package,
            "enrolments": [(e, present.get(e.pk, 0)) for e in enrolments],
            "session_days": days,
            "can_run": can_run and package.status != PackageStatus.FINISHED,
            "can_enrol": can_run and policy.can(request.user, Action.CREATE, Enrolment(package=package)),
            "can_remove": policy.can(request.user, Action.DELETE, Enrolment(package=package))
            and package.status == PackageStatus.PLANNED,
            "can_import": policy.can(request.user, Action.CREATE, ParticipantImport(package=package)),
            "can_certify": policy.can(
                request.user, Action.CREATE, CompetencyTest(enrolment=Enrolment(package=package))
            ),
            "full": len(enrolments) >= package.capacity,
            "passed": Result.PASSED,
        },
    )


def _transition(request: AuthenticatedRequest, pk: int, service: object, done: str) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk, action=Action.CHANGE)
    try:
        service(actor=request.user, package_id=package.pk)  # type: ignore[operator]
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("training:package", pk=package.pk)


@require_POST
def package_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.package_start, _("Paket dimulai."))


@require_POST
def package_finish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, services.package_finish, _("Paket selesai. Lulusan masuk daftar penelusuran alumni.")
    )


@require_http_methods(["GET", "POST"])
def enrolment_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk)
    if not policy.can(request.user, Action.CREATE, Enrolment(package=package)):
        raise Http404
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.enrolment_create(
                actor=request.user,
                package_id=package.pk,
                person=form.person_fields(),
                consent_given_on=form.cleaned_data["consent_given_on"],
                over_capacity_reason=form.cleaned_data.get("over_capacity_reason") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            name = result.enrolment.person.full_name
            if result.existing_person:
                messages.info(
                    request,
                    _("%(name)s sudah terdaftar di Simpul (NIK sama, data sama): data yang ada dipakai.")
                    % {"name": name},
                )
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, _("%(name)s terdaftar di paket ini.") % {"name": name})
            if "again" in request.POST:
                return redirect("training:enrol", pk=package.pk)
            return redirect("training:package", pk=package.pk)
    count = package.enrolments.count()
    return render(
        request,
        "training/enrolment_form.html",
        {"form": form, "package": package, "count": count, "full": count >= package.capacity},
    )


@require_POST
def enrolment_remove(request: AuthenticatedRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk)
    if not package.enrolments.filter(pk=enrolment_pk).exists():
        raise Http404
    try:
        services.enrolment_remove(actor=request.user, enrolment_id=enrolment_pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Peserta dihapus dari paket."))
    return redirect("training:package", pk=package.pk)


@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk, action=Action.CHANGE)
    enrolments = list(package.enrolments.select_related("person").order_by("person__full_name"))
    initial_day = request.GET.get("hari")
    form = AttendanceForm(
        request.POST or None, enrolments=enrolments, initial={"day": initial_day} if initial_day else None
    )
    if not form.is_bound and initial_day:
        present = Attendance.objects.filter(enrolment__package=package, day=initial_day, present=True)
        form.initial["present"] = [str(pk) for pk in present.values_list("enrolment_id", flat=True)]
    if request.method == "POST" and form.is_valid():
        try:
            count = services.attendance_record(
                actor=request.user,
                package_id=package.pk,
                day=form.cleaned_data["day"],
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Kehadiran tersimpan: %(present)s dari %(total)s peserta hadir.")
                % {"present": count, "total": len(enrolments)},
            )
            return redirect("training:package", pk=package.pk)
    return render(
        request,
        "training/attendance_form.html",
        {"form": form, "package": package, "session_days": package_session_days(package)},
    )


@require_http_methods(["GET", "POST"])
def results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    package = package_get(actor=request.user, pk=pk, action=Action.CHANGE)
    enrolments = list(package.enrolments.select_related("person").order_by("person__full_name"))
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        submitted = {
            e.pk: (request.POST.get(f"result_{e.pk}", ""), request.POST.get(f"certificate_{e.pk}", "")[:60])
            for e in enrolments
        }
        try:
            changed = services.results_record(actor=request.user, package_id=package.pk, results=submitted)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
            else:
                general = error.messages
            for e in enrolments:
                e.result, e.certificate_number = submitted[e.pk]
        else:
            messages.success(request, _("Hasil pelatihan tersimpan (%(n)s diubah).") % {"n": changed})
            return redirect("training:package", pk=package.pk)
    rows = [(e, errors.get(f"result_{e.pk}", []) + errors.get(f"certificate_{e.pk}", [])) for e in enrolments]
    return render(
        request,
        "training/results_form.html",
        {"package": package, "rows": rows, "general_errors": general, "results": Result.choices},
    )

"""Monthly business figures (made for a phone) and products with their photos. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simpul.accounts import policy
from simpul.accounts.http import AuthenticatedRequest
from simpul.accounts.models import Role
from simpul.accounts.policy import Action
from simpul.core.forms import add_service_errors

from ..forms_tenants import FigureForm, PhotoForm, ProductForm
from ..models import BusinessFigure, Product
from ..selectors.business import figure_for_month, figure_list, figure_rows
from ..selectors.products import photo_for_viewer, product_get
from ..selectors.tenants import tenant_get
from ..services import business as services
from ..services import products as product_services
from ..services.business import FIGURE_FIELDS, month_label, reporting_month


def _month(raw: str, default: dt.date) -> dt.date:
    """'2026-10' -> date(2026, 10, 1); anything else is a page that does not exist."""
    if not raw:
        return default
    try:
        year, month = (int(part) for part in raw.split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def figure_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One month of figures (`?bulan=2026-10`, last month by default): a short form that fits a phone."""
    tenant = tenant_get(actor=request.user, pk=pk)
    month = _month(request.GET.get("bulan", ""), reporting_month(tenant))
    existing = figure_for_month(actor=request.user, tenant=tenant, month=month)
    probe = existing or BusinessFigure(tenant=tenant, month=month)
    if not policy.can(request.user, Action.CHANGE if existing else Action.CREATE, probe):
        raise Http404
    initial: dict[str, Any] = {"family_workers": 0, "products": 0}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in FIGURE_FIELDS}
    form = FigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.figure_save(actor=request.user, tenant_id=tenant.pk, month=month, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error, field_map={"month": "__all__"})
        else:
            messages.success(request, _("Angka usaha %(month)s tersimpan.") % {"month": month_label(month)})
            return redirect(_tenant_url(request, tenant.pk) + "#angka")
    median = services.revenue_median(tenant, month)
    return render(
        request,
        "incubation/figure_form.html",
        {
            "tenant": tenant,
            "form": form,
            "month": month,
            "month_label": month_label(month),
            "existing": existing,
            "median": median,
            "recent": figure_rows(list(figure_list(actor=request.user, tenant=tenant)[:6])),
            "back": _tenant_url(request, tenant.pk),
        },
    )


def _tenant_url(request: AuthenticatedRequest, tenant_id: int) -> str:
    """An entrepreneur goes back to their own page; everyone else to the tenant's."""
    if getattr(request.user, "role", None) == Role.WIRAUSAHA:
        return reverse("incubation:my-business")
    return reverse("incubation:tenant", args=[tenant_id])


@require_http_methods(["GET", "POST"])
def product_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tenant = tenant_get(actor=request.user, pk=pk)
    if not policy.can(request.user, Action.CREATE, Product(tenant=tenant)):
        raise Http404
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_services.product_create(actor=request.user, tenant_id=tenant.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Produk %(name)s tersimpan. Tambahkan fotonya.") % {"name": product.name})
            return redirect("incubation:product-edit", pk=product.pk)
    return render(
        request,
        "incubation/product_form.html",
        {"form": form, "tenant": tenant, "product": None, "back": _tenant_url(request, tenant.pk)},
    )


@require_http_methods(["GET", "POST"])
def product_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    product = product_get(actor=request.user, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(product, name) for name in ProductForm.base_fields}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            product_services.product_update(actor=request.user, product_id=product.pk, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Produk tersimpan."))
            return redirect(_tenant_url(request, product.tenant_id) + "#produk")
    return _product_page(request, product, form, PhotoForm())


def _product_page(request: AuthenticatedRequest, product: Product, form: Any, photo_form: Any) -> HttpResponse:
    return render(
        request,
        "incubation/product_form.html",
        {
            "form": form,
            "photo_form": photo_form,
            "tenant": product.tenant,
            "product": product,
            "photos": list(product.photos.all()),
            "max_photos": product_services.MAX_PHOTOS,
            "can_delete": policy.can(request.user, Action.DELETE, product),
            "back": _tenant_url(request, product.tenant_id),
        },
    )


@require_POST
def product_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    product = product_get(actor=request.user, pk=pk, action=Action.DELETE)
    tenant_id = product.tenant_id
    product_services.product_delete(actor=request.user, product_id=product.pk)
    messages.success(request, _("Produk %(name)s dihapus.") % {"name": product.name})
    return redirect(_tenant_url(request, tenant_id) + "#produk")


@require_POST
def photo_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    product = product_get(actor=request.user, pk=pk, action=Action.CHANGE)
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            product_services.photo_add(
                actor=request.user, product_id=product.pk, upload=photo_form.cleaned_data["image"]
            )
        except ValidationError as error:
            add_service_errors(photo_form, error)
        else:
            messages.success(request, _("Foto tersimpan."))
            return redirect(reverse("incubation:product-edit", args=[product.pk]) + "#foto")
    initial = {name: getattr(product, name) for name in ProductForm.base_fields}
    product = product_get(actor=request.user, pk=pk, action=Action.CHANGE)
    return _product_page(request, product, ProductForm(initial=initial), photo_form)


@require_POST
def photo_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    photo = photo_for_viewer(actor=request.user, pk=pk)
    product = product_services.photo_delete(actor=request.user, photo_id=photo.pk)
    messages.success(request, _("Foto dihapus."))
    return redirect(reverse("incubation:product-edit", args=[product.pk]) + "#foto")


@require_GET
def photo(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A product photo for a signed-in viewer who may see the product (public or not)."""
    picture = photo_for_viewer(actor=request.user, pk=pk)
    content_type = mimetypes.guess_type(picture.image.name)[0] or "application/octet-stream"
    response = FileResponse(picture.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response

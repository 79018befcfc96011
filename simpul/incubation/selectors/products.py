"""Reads of products: each incubator's catalogue (scoped by the policy) and the public showcase.

The showcase is for anyone, without an account: it shows public products of
tenants still in the programme (or graduated from it), with their incubator,
centre and province, and nothing about the person behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from simpul.accounts import policy
from simpul.accounts.policy import Action

from ..models import Incubator, Product, ProductPhoto, Tenant


def _with_photos(products: QuerySet[Product]) -> QuerySet[Product]:
    return products.prefetch_related(Prefetch("photos", queryset=ProductPhoto.objects.order_by("order", "id")))


def product_list(*, actor: Any, incubator: Incubator | None = None, tenant: Tenant | None = None) -> QuerySet[Product]:
    products = policy.scope_queryset(actor, Product.objects.all(), Action.VIEW)
    if incubator is not None:
        products = products.filter(tenant__incubator=incubator)
    if tenant is not None:
        products = products.filter(tenant=tenant)
    return _with_photos(products.select_related("tenant")).order_by("name", "pk")


def product_get(*, actor: Any, pk: Any, action: Action = Action.VIEW) -> Product:
    return policy.get_or_404(
        actor, _with_photos(Product.objects.select_related("tenant__incubator__center")), action, pk=pk
    )


def photo_for_viewer(*, actor: Any, pk: Any) -> ProductPhoto:
    """A photo of a product the signed-in actor may see (public or not)."""
    photo = ProductPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404
    product_get(actor=actor, pk=photo.product_id)
    return photo


# --- the public showcase -------------------------------------------------------


def _on_show() -> Q:
    return Q(public=True) & (Q(tenant__left_on__isnull=True) | Q(tenant__graduated_on__isnull=False))


@dataclass(frozen=True)
class ShowcaseFilters:
    province: str = ""
    category: str = ""
    q: str = ""


def showcase_products(*, filters: ShowcaseFilters | None = None) -> QuerySet[Product]:
    filters = filters or ShowcaseFilters()
    products = Product.objects.filter(_on_show())
    if filters.province:
        products = products.filter(tenant__incubator__center__province_id=filters.province)
    if filters.category:
        products = products.filter(category=filters.category)
    if filters.q:
        products = products.filter(name__icontains=" ".join(filters.q.split()))
    return _with_photos(
        products.select_related("tenant__incubator__center__province", "tenant__incubator__center__regency")
    ).order_by("-created_at", "-pk")


def showcase_product(*, pk: Any) -> Product:
    product = (
        _with_photos(
            Product.objects.filter(_on_show()).select_related(
                "tenant__incubator__center__province", "tenant__incubator__center__regency"
            )
        )
        .filter(pk=pk)
        .first()
    )
    if product is None:
        raise Http404
    return product


def showcase_photo(*, pk: Any) -> ProductPhoto:
    """A photo, only if its product is on show: anything else answers 404, like a photo that does not exist."""
    photo = ProductPhoto.objects.filter(pk=pk, product__in=Product.objects.filter(_on_show())).first()
    if photo is None:
        raise Http404
    return photo


def showcase_provinces() -> list[tuple[str, str]]:
    """Provinces that have a product on show (the filter offers no empty choice)."""
    rows = (
        Product.objects.filter(_on_show())
        .order_by("tenant__incubator__center__province__name")
        .values_list("tenant__incubator__center__province_id", "tenant__incubator__center__province__name")
        .distinct()
    )
    return list(rows)

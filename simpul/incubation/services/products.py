"""Products (produk unggulan) and their photos.

A photo is kept only if it really is one: its content is recognised as JPEG,
PNG or WebP, Pillow reads it whole, it is not a decompression bomb, and what
is stored is our own re-encoding (`core.uploads.reencoded_photo`), so no
metadata of the original (such as where it was taken) reaches the public
showcase.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core import uploads

from ..models import Product, ProductCategory, ProductPhoto, Tenant

PRODUCT_FIELDS = ("name", "category", "description", "price", "certifications", "where_sold", "public")
MAX_PHOTOS = 6
DEFAULT_PHOTO_MAX_BYTES = 8 * 1024 * 1024


def photo_max_bytes() -> int:
    return int(getattr(settings, "PRODUCT_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES))


def _apply(product: Product, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValueError(f"unknown product fields: {sorted(unknown)}")
    for name, value in fields.items():
        if name == "public":
            value = bool(value)
        elif name != "price":
            value = (value or "").strip()
        setattr(product, name, value)
    errors: dict[str, str] = {}
    if not product.name:
        errors["name"] = _("Tulis nama produk.")
    if product.category not in ProductCategory.values:
        errors["category"] = _("Pilih kategori produk.")
    if product.price is None:
        errors["price"] = _("Isi harga produk.")
    elif product.price < 0:
        errors["price"] = _("Harga tidak boleh negatif.")
    if errors:
        raise ValidationError(errors)


def product_create(*, actor: Any, tenant_id: Any, **fields: Any) -> Product:
    with transaction.atomic():
        tenant = policy.get_or_404(actor, Tenant.objects.all(), Action.VIEW, pk=tenant_id)
        product = Product(tenant=tenant)
        policy.require(actor, Action.CREATE, product)
        if tenant.left_on is not None and tenant.graduated_on is None:
            raise ValidationError(_("Tenant ini sudah keluar dari inkubator: produk baru tidak dicatat lagi."))
        _apply(product, fields)
        product.full_clean()
        product._history_user = actor  # type: ignore[attr-defined]
        product.save()
    return product


def product_update(*, actor: Any, product_id: Any, **fields: Any) -> Product:
    with transaction.atomic():
        product = policy.get_or_404(actor, Product.objects.select_for_update(), Action.CHANGE, pk=product_id)
        _apply(product, fields)
        product.full_clean()
        product._history_user = actor  # type: ignore[attr-defined]
        product.save()
    return product


def product_delete(*, actor: Any, product_id: Any) -> None:
    with transaction.atomic():
        product = policy.get_or_404(actor, Product.objects.select_for_update(), Action.DELETE, pk=product_id)
        files = [(photo.image.storage, photo.image.name) for photo in product.photos.all()]
        product._history_user = actor  # type: ignore[attr-defined]
        product.delete()
        for storage, name in files:
            transaction.on_commit(partial(storage.delete, name))


def _room_for_a_photo(product: Product) -> int:
    count = product.photos.count()
    if count >= MAX_PHOTOS:
        raise ValidationError({"image": _("Paling banyak %(n)s foto per produk.") % {"n": MAX_PHOTOS}})
    return count


def photo_add(*, actor: Any, product_id: Any, upload: Any) -> ProductPhoto:
    """Add a photo to a product: checked, re-encoded, stored under our own name."""
    # Decoding a photo takes a moment: do it before the transaction, so no write waits on it.
    _room_for_a_photo(policy.get_or_404(actor, Product.objects.all(), Action.CHANGE, pk=product_id))
    content = uploads.read_upload(upload, max_bytes=photo_max_bytes(), field="image")
    encoded = uploads.reencoded_photo(content, field="image")
    with transaction.atomic():
        product = policy.get_or_404(actor, Product.objects.select_for_update(), Action.CHANGE, pk=product_id)
        photo = ProductPhoto(product=product, order=_room_for_a_photo(product))
        photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(encoded.content), save=False)
        photo.width, photo.height = encoded.width, encoded.height
        try:
            photo.save()
        except Exception:
            photo.image.delete(save=False)
            raise
    return photo


def photo_delete(*, actor: Any, photo_id: Any) -> Product:
    with transaction.atomic():
        photo = ProductPhoto.objects.select_related("product").filter(pk=photo_id).first()
        if photo is None:
            raise Http404
        product = policy.get_or_404(actor, Product.objects.select_for_update(), Action.CHANGE, pk=photo.product_id)
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))
    return product

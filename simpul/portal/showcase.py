"""The public product showcase (etalase produk unggulan): no login, no personal data.

Products the entrepreneurs chose to show, with their photo, price, category,
incubator and province; never the owner's name. Photos are served by a view
that only serves photos of products on show, so a private product's photo
stays private even to someone who guesses its number.
"""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from simpul.core.pagination import paginate
from simpul.incubation.models import ProductCategory
from simpul.incubation.selectors.products import (
    ShowcaseFilters,
    showcase_photo,
    showcase_product,
    showcase_products,
    showcase_provinces,
)

SHOWCASE_PAGE_SIZE = 24


@login_not_required
@require_GET
def showcase(request: HttpRequest) -> HttpResponse:
    provinces = showcase_provinces()
    province = request.GET.get("provinsi", "")
    category = request.GET.get("kategori", "")
    filters = ShowcaseFilters(
        province=province if province in {code for code, _name in provinces} else "",
        category=category if category in ProductCategory.values else "",
        q=request.GET.get("q", "")[:100],
    )
    return render(
        request,
        "portal/showcase.html",
        {
            "page": paginate(request, showcase_products(filters=filters), per_page=SHOWCASE_PAGE_SIZE),
            "filters": filters,
            "provinces": provinces,
            "categories": ProductCategory.choices,
        },
    )


@login_not_required
@require_GET
def showcase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/showcase_product.html", {"product": showcase_product(pk=pk)})


@login_not_required
@require_GET
def showcase_image(request: HttpRequest, pk: int) -> FileResponse:
    photo = showcase_photo(pk=pk)
    content_type = mimetypes.guess_type(photo.image.name)[0] or "application/octet-stream"
    response = FileResponse(photo.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=600"
    return response

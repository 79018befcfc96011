from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from simpul.core.navigation import items_for
from simpul.core.pagination import paginate

from . import opendata
from .figures import current_table, period_tables
from .selectors import (
    DirectoryFilters,
    directory_provinces,
    public_centre,
    public_centre_record,
    public_centres,
    public_summary,
)

DIRECTORY_PAGE_SIZE = 20


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: what this person can do here. Otherwise: the public front page."""
    if request.user.is_authenticated:
        return render(request, "portal/home.html", {"cards": items_for(request.user)})
    return render(request, "portal/landing.html", {"summary": public_summary()})


def _map_context(data_url: str) -> dict[str, str]:
    return {
        "map_data_url": data_url,
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@login_not_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_params(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": paginate(request, public_centres(filters), per_page=DIRECTORY_PAGE_SIZE),
        "filters": filters,
        "provinces": directory_provinces(),
        **_map_context(f"{reverse('portal:directory-map')}?{query.urlencode()}"),
    }
    return render(request, "portal/directory.html", context)


@login_not_required
@require_GET
def directory_map(request: HttpRequest) -> JsonResponse:
    """The directory's centres for the map: the public fields only."""
    centres = public_centres(DirectoryFilters.from_params(request.GET))
    one = request.GET.get("id", "")
    if one.isdigit():
        centres = centres.filter(pk=one)
    records = []
    for centre in centres:
        record = public_centre_record(centre)
        record["links"] = [{"label": _("Lihat profil"), "url": reverse("portal:directory-centre", args=[centre.pk])}]
        records.append(record)
    return JsonResponse({"centres": records})


@login_not_required
@require_GET
def directory_centre(request: HttpRequest, pk: int) -> HttpResponse:
    centre = public_centre(pk)
    return render(
        request,
        "portal/directory_centre.html",
        {
            "centre": centre,
            **_map_context(f"{reverse('portal:directory-map')}?id={centre.pk}"),
        },
    )


@login_not_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/figures.html", {"tables": [current_table(), *period_tables()]})


@login_not_required
@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/open_data.html", {"resources": opendata.RESOURCES, "license": opendata.LICENSE})


@login_not_required
@require_GET
def open_data_package(request: HttpRequest) -> HttpResponse:
    descriptor = opendata.datapackage(request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(
        json.dumps(descriptor, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )


@login_not_required
@require_GET
def open_data_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in opendata.RESOURCE_BY_NAME:
        raise Http404
    response = HttpResponse(opendata.resource_csv(name), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return response


@login_not_required
@require_GET
def open_data_zip(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        opendata.package_zip(request.build_absolute_uri("/").rstrip("/")), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="simpul-data.zip"'
    return response

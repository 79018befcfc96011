"""Participants from Excel, under `pelatihan/<int:package_id>/impor/` (see views/importing.py)."""

from django.urls import URLPattern, path

from .views import importing

urlpatterns: list[URLPattern] = [
    path("templat.xlsx", importing.import_template, name="import-template"),
    path("", importing.import_upload, name="import"),
    path("<int:import_id>/gagal.xlsx", importing.import_failed, name="import-failed"),
]

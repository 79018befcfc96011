"""Excel round trip of report forms: template download, upload (see views/excel.py)."""

from django.urls import URLPattern, path

from .views import excel

urlpatterns: list[URLPattern] = [
    path("", excel.excel_page, name="excel"),
    path("templat/", excel.excel_template, name="excel-template"),
    path("unggah/", excel.excel_upload, name="excel-upload"),
]

"""Excel round trip of report forms: template download, upload (see views/excel.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

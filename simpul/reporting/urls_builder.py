"""Admin Pusat's report form builder (see views/builder.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

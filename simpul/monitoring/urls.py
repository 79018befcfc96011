"""Monitoring's pages under /pantauan/: each part keeps its own url module."""

from django.urls import include, path

from . import urls_warnings

app_name = "monitoring"
urlpatterns = [
    path("", include("simpul.monitoring.urls_dashboard")),
    path("peta/", include("simpul.monitoring.urls_map")),
    path("peringatan/", include("simpul.monitoring.urls_warnings")),
    path("peringkat/", include(urls_warnings.ranking_urlpatterns)),
    path("ringkasan/", include("simpul.monitoring.urls_summary")),
]

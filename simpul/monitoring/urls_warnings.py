"""Early warnings under /pantauan/peringatan/; the rankings' own list is mounted at /pantauan/peringkat/."""

from django.urls import path

from . import views_warnings

urlpatterns = [
    path("", views_warnings.warnings_page, name="warnings"),
    path("panel/", views_warnings.warnings_panel, name="warnings-panel"),
    path("pesan/<int:center_pk>/", views_warnings.warning_message, name="warning-message"),
]

# urls.py: path("peringkat/", include(urls_warnings.ranking_urlpatterns))
ranking_urlpatterns = [
    path("", views_warnings.rankings_page, name="rankings"),
]

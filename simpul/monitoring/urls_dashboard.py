from django.urls import path

from . import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("panel/<slug:name>/", views_dashboard.panel, name="panel"),
]

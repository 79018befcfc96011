from django.urls import path

from . import views_summary

urlpatterns = [
    path("", views_summary.summary_pdf, name="summary-pdf"),
]

from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("kabupaten/", views.regency_options, name="regency-options"),
    path("kecamatan/", views.district_options, name="district-options"),
]

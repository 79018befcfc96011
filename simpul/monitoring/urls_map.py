from django.urls import path

from . import views_map

urlpatterns = [
    path("", views_map.map_page, name="map"),
    path("data.json", views_map.map_json, name="map-data"),
]

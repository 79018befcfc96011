from django.urls import path

from . import showcase, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("etalase/", showcase.showcase, name="showcase"),
    path("etalase/<int:pk>/", showcase.showcase_detail, name="showcase-product"),
    path("etalase/foto/<int:pk>/", showcase.showcase_image, name="showcase-photo"),
]

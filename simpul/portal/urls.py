from django.urls import path

from . import showcase, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("etalase/", showcase.showcase, name="showcase"),
    path("etalase/<int:pk>/", showcase.showcase_detail, name="showcase-product"),
    path("etalase/foto/<int:pk>/", showcase.showcase_image, name="showcase-photo"),
    path("direktori/", views.directory, name="directory"),
    path("direktori/peta.json", views.directory_map, name="directory-map"),
    path("direktori/<int:pk>/", views.directory_centre, name="directory-centre"),
    path("angka/", views.figures, name="figures"),
    path("data-terbuka/", views.open_data, name="open-data"),
    path("data-terbuka/datapackage.json", views.open_data_package, name="open-data-package"),
    path("data-terbuka/simpul-data.zip", views.open_data_zip, name="open-data-zip"),
    path("data-terbuka/<slug:name>.csv", views.open_data_csv, name="open-data-csv"),
]

from django.urls import include, path

from . import urls_selection, urls_selfreliance, urls_tenants

app_name = "incubation"
urlpatterns = [
    path("seleksi/", include(urls_selection)),
    path("inkubator/", include(urls_tenants)),
    path("kemandirian/", include(urls_selfreliance)),
]

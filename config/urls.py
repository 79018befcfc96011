from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from simpul.core.views import healthz
from simpul.regions import urls as region_urls

admin.site.site_header = "Simpul – admin data rujukan"

urlpatterns = [
    path("", include("simpul.portal.urls")),
    path("", include("simpul.accounts.urls")),
    path("blk/", include("simpul.centers.urls")),
    path("", include("simpul.messaging.urls")),
    path("", include("simpul.training.urls")),
    path("", include("simpul.reporting.urls")),
    path("", include("simpul.incubation.urls")),
    path("pantauan/", include("simpul.monitoring.urls")),
    path("wilayah/", include(region_urls)),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
]

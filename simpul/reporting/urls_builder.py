"""Admin Pusat's report form builder (see views/builder.py), under /formulir/."""

from django.urls import URLPattern, path

from .views import builder

SECTION = {"kind": "bagian"}
INDICATOR = {"kind": "indikator"}
RULE = {"kind": "aturan"}

urlpatterns: list[URLPattern] = [
    path("", builder.form_list, name="form-list"),
    path("baru/", builder.form_create, name="form-create"),
    path("<int:pk>/", builder.form_detail, name="form-detail"),
    path("<int:pk>/ubah/", builder.form_edit, name="form-edit"),
    path("<int:pk>/versi-baru/", builder.version_create, name="version-create"),
    path("versi/<int:pk>/", builder.version_detail, name="version-detail"),
    path("versi/<int:pk>/terbitkan/", builder.version_publish, name="version-publish"),
    path("versi/<int:version_pk>/bagian/tambah/", builder.child_form, SECTION, name="section-create"),
    path("versi/<int:version_pk>/bagian/<int:pk>/ubah/", builder.child_form, SECTION, name="section-edit"),
    path("versi/<int:version_pk>/bagian/<int:pk>/hapus/", builder.child_delete, SECTION, name="section-delete"),
    path("versi/<int:version_pk>/indikator/tambah/", builder.child_form, INDICATOR, name="indicator-create"),
    path("versi/<int:version_pk>/indikator/<int:pk>/ubah/", builder.child_form, INDICATOR, name="indicator-edit"),
    path("versi/<int:version_pk>/indikator/<int:pk>/hapus/", builder.child_delete, INDICATOR, name="indicator-delete"),
    path("versi/<int:version_pk>/aturan/tambah/", builder.child_form, RULE, name="rule-create"),
    path("versi/<int:version_pk>/aturan/<int:pk>/ubah/", builder.child_form, RULE, name="rule-edit"),
    path("versi/<int:version_pk>/aturan/<int:pk>/hapus/", builder.child_delete, RULE, name="rule-delete"),
]

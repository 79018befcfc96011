from django.urls import include, path

from . import urls_import
from .views import packages, people, tracing

app_name = "training"
urlpatterns = [
    path("pelatihan/", packages.package_index, name="packages"),
    path("pelatihan/baru/", packages.package_create, name="package-create"),
    path("pelatihan/sertifikat-berakhir/", people.expiring_certificates, name="expiring"),
    path("pelatihan/<int:pk>/", packages.package_detail, name="package"),
    path("pelatihan/<int:pk>/ubah/", packages.package_edit, name="package-edit"),
    path("pelatihan/<int:pk>/mulai/", packages.package_start, name="package-start"),
    path("pelatihan/<int:pk>/selesai/", packages.package_finish, name="package-finish"),
    path("pelatihan/<int:pk>/peserta/tambah/", packages.enrolment_create, name="enrol"),
    path("pelatihan/<int:pk>/peserta/<int:enrolment_pk>/hapus/", packages.enrolment_remove, name="unenrol"),
    path("pelatihan/<int:pk>/kehadiran/", packages.attendance, name="attendance"),
    path("pelatihan/<int:pk>/hasil/", packages.results, name="results"),
    path("pelatihan/<int:package_id>/impor/", include(urls_import)),
    path(
        "pelatihan/peserta-paket/<int:enrolment_pk>/uji-kompetensi/", people.competency_test_create, name="test-create"
    ),
    path("peserta/", people.person_index, name="people"),
    path("peserta/cari-nik/", people.person_find, name="person-find"),
    path("peserta/<int:pk>/", people.person_detail, name="person"),
    path("peserta/<int:pk>/data-pribadi/", people.person_reveal, name="person-reveal"),
    path("peserta/<int:pk>/ubah/", people.person_edit, name="person-edit"),
    path("penelusuran/", tracing.worklist, name="tracing"),
    path("penelusuran/<int:enrolment_pk>/<int:wave>/", tracing.outcome_record, name="outcome"),
    path("penelusuran/<int:enrolment_pk>/<int:wave>/tautan/", tracing.tracer_link_create, name="tracer-link"),
    path("kabar-alumni/<str:token>/", tracing.tracer_answer, name="tracer-answer"),
]

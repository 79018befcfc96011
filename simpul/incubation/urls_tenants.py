from django.urls import URLPattern, path

from .views import business, incubators, tenants

urlpatterns: list[URLPattern] = [
    path("", incubators.incubator_index, name="incubators"),
    path("baru/", incubators.incubator_create, name="incubator-create"),
    path("<int:pk>/", incubators.incubator_detail, name="incubator"),
    path("<int:pk>/ubah/", incubators.incubator_edit, name="incubator-edit"),
    path("<int:pk>/produk/", incubators.catalogue, name="catalogue"),
    path("<int:pk>/tenant/tambah/", tenants.tenant_create, name="tenant-create"),
    path("mentor/", incubators.mentor_index, name="mentors"),
    path("mentor/tambah/", incubators.mentor_create, name="mentor-create"),
    path("mentor/<int:pk>/ubah/", incubators.mentor_edit, name="mentor-edit"),
    # The entrepreneur's own business.
    path("usaha-saya/", tenants.my_business, name="my-business"),
    path("tenant/<int:pk>/", tenants.tenant_detail, name="tenant"),
    path("tenant/<int:pk>/ubah/", tenants.tenant_edit, name="tenant-edit"),
    path("tenant/<int:pk>/tahap/", tenants.tenant_stage, name="tenant-stage"),
    path("tenant/<int:pk>/keluar/", tenants.tenant_leave, name="tenant-leave"),
    path("tenant/<int:pk>/mentor/", tenants.tenant_mentors, name="tenant-mentors"),
    path("tenant/<int:pk>/sesi/baru/", tenants.session_create, name="session-create"),
    path("sesi/<int:pk>/ubah/", tenants.session_edit, name="session-edit"),
    path("sesi/<int:pk>/lampiran/", tenants.session_attachment, name="session-attachment"),
    path("tenant/<int:pk>/angka/", business.figure_entry, name="figure"),
    path("tenant/<int:pk>/produk/baru/", business.product_create, name="product-create"),
    path("produk/<int:pk>/ubah/", business.product_edit, name="product-edit"),
    path("produk/<int:pk>/hapus/", business.product_delete, name="product-delete"),
    path("produk/<int:pk>/foto/", business.photo_upload, name="photo-upload"),
    path("foto/<int:pk>/", business.photo, name="photo"),
    path("foto/<int:pk>/hapus/", business.photo_delete, name="photo-delete"),
]

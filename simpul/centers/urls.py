from django.urls import path

from . import views

app_name = "centers"
urlpatterns = [
    path("", views.center_list, name="list"),
    path("baru/", views.center_create, name="create"),
    path("ekspor.<str:fmt>", views.center_export, name="export"),
    path("pilihan/", views.center_options, name="options"),
    path("<int:pk>/", views.center_detail, name="detail"),
    path("<int:pk>/ubah/", views.center_edit, name="edit"),
    path("<int:pk>/riwayat/", views.center_history, name="history"),
    path("<int:pk>/<str:kind>/tambah/", views.center_child_form, name="child-create"),
    path("<int:pk>/<str:kind>/<int:child_pk>/ubah/", views.center_child_form, name="child-edit"),
    path("<int:pk>/<str:kind>/<int:child_pk>/hapus/", views.center_child_delete, name="child-delete"),
]

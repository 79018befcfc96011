from django.urls import URLPattern, path

from .views import selection as views

urlpatterns: list[URLPattern] = [
    path("", views.round_index, name="rounds"),
    path("baru/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/ubah/", views.round_edit, name="round-edit"),
    path("<int:pk>/kriteria/", views.criteria, name="criteria"),
    path("<int:pk>/kriteria/<int:criterion_pk>/", views.criterion_edit, name="criterion-edit"),
    path("<int:pk>/kriteria/<int:criterion_pk>/hapus/", views.criterion_remove, name="criterion-remove"),
    path("<int:pk>/calon/", views.candidates, name="candidates"),
    path("<int:pk>/calon/susun/", views.candidates_build, name="candidates-build"),
    path("<int:pk>/calon/tambah/", views.candidate_add, name="candidate-add"),
    path("<int:pk>/calon/<int:candidate_pk>/hapus/", views.candidate_remove, name="candidate-remove"),
    path("<int:pk>/reviewer/", views.assign, name="assign"),
    path("<int:pk>/buka/", views.round_open, name="open"),
    path("<int:pk>/peringkat/", views.ranking, name="ranking"),
    path("<int:pk>/putuskan/", views.decide, name="decide"),
    path("<int:pk>/keputusan/", views.decision, name="decision"),
    path("tugas/", views.review_queue, name="review-queue"),
    path("tugas/<int:assignment_pk>/", views.review, name="review"),
    path("tugas/<int:assignment_pk>/konflik/", views.conflict, name="conflict"),
]

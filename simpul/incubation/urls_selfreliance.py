from django.urls import URLPattern, path

from .views import selfreliance

urlpatterns: list[URLPattern] = [
    path("", selfreliance.assessment_index, name="self-reliance"),
    path("jalankan/", selfreliance.assessment_run, name="self-reliance-run"),
    path("disapih/", selfreliance.stand_alone, name="self-reliance-stand-alone"),
    path("blk/<int:center_id>/", selfreliance.center_assessments, name="self-reliance-center"),
    path("blk/<int:center_id>/terapkan-kelas/", selfreliance.apply_class, name="self-reliance-apply"),
    path("lapangan-kerja/", selfreliance.jobs_national, name="jobs"),
    path("lapangan-kerja/provinsi/<str:code>/", selfreliance.jobs_province, name="jobs-province"),
    path("lapangan-kerja/kabupaten/<str:code>/", selfreliance.jobs_regency, name="jobs-regency"),
    path("lapangan-kerja/blk/<int:center_id>/", selfreliance.jobs_center, name="jobs-center"),
]

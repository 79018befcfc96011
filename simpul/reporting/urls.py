from django.urls import include, path

from . import urls_builder, urls_excel
from .views import aid, completeness, submissions

app_name = "reporting"
urlpatterns = [
    path("laporan/", submissions.submission_list, name="submissions"),
    path("laporan/antrean/", submissions.review_queue, name="queue"),
    path("laporan/<int:pk>/", submissions.submission_detail, name="submission"),
    path("laporan/<int:pk>/isian/", submissions.submission_autosave, name="autosave"),
    path("laporan/<int:pk>/simpan/", submissions.submission_save, name="save"),
    path("laporan/<int:pk>/langkah/<str:step>/", submissions.submission_step, name="step"),
    path("laporan/<int:pk>/lampiran/", submissions.attachment_upload, name="attachment-upload"),
    path("laporan/lampiran/<int:pk>/", submissions.attachment_download, name="attachment"),
    path("laporan/lampiran/<int:pk>/hapus/", submissions.attachment_delete, name="attachment-delete"),
    path("laporan/kelengkapan/", completeness.completeness, name="completeness"),
    path("laporan/excel/", include(urls_excel.urlpatterns)),
    path("formulir/", include(urls_builder.urlpatterns)),
    path("bantuan/", aid.grant_list, name="grants"),
    path("bantuan/baru/", aid.grant_create, name="grant-create"),
    path("bantuan/<int:pk>/", aid.grant_detail, name="grant"),
    path("bantuan/<int:pk>/progres/", aid.grant_progress, name="grant-progress"),
    path("bantuan/tahap/<int:pk>/cair/", aid.instalment_pay, name="instalment-pay"),
    path("bantuan/lpj-terlambat/", aid.overdue_lpjs, name="lpj-overdue"),
]

from django.urls import path

from . import views, views_threads

app_name = "messaging"
urlpatterns = [
    # Notifications (/notifikasi/)
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/jumlah/", views.bell, name="bell"),
    path("notifikasi/baca-semua/", views.notifications_read, name="notifications-read"),
    path("notifikasi/pengaturan/", views.preferences, name="preferences"),
    path("notifikasi/<int:pk>/", views.notification_open, name="notification-open"),
    # The communication space (/komunikasi/)
    path("komunikasi/", views_threads.inbox, name="inbox"),
    path("komunikasi/cari/", views_threads.search, name="search"),
    path("komunikasi/pengumuman/", views_threads.announcements, name="announcements"),
    path("komunikasi/provinsi/<str:code>/", views_threads.province, name="province"),
    path("komunikasi/blk/<int:pk>/", views_threads.center, name="center"),
    path("komunikasi/langsung/", views_threads.direct_new, name="direct-new"),
    path("komunikasi/langsung/<int:user_pk>/", views_threads.direct, name="direct"),
    path("komunikasi/utas/<int:pk>/", views_threads.thread, name="thread"),
    path("komunikasi/catatan/<str:label>/<int:pk>/", views_threads.record_post, name="record-post"),
    path("komunikasi/pesan/<int:pk>/ubah/", views_threads.message_edit, name="message-edit"),
    path("komunikasi/pesan/<int:pk>/hapus/", views_threads.message_delete, name="message-delete"),
    path("komunikasi/pesan/<int:pk>/sembunyikan/", views_threads.message_hide, name="message-hide"),
    path("komunikasi/pesan/<int:pk>/tampilkan/", views_threads.message_unhide, name="message-unhide"),
    path("komunikasi/pesan/<int:pk>/riwayat/", views_threads.message_history, name="message-history"),
    path("komunikasi/lampiran/<int:pk>/", views_threads.attachment, name="attachment"),
]

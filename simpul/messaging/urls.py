from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("baca-semua/", views.notifications_read, name="notifications-read"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("blk/<int:pk>/komentar/", views.center_comment, name="center-comment"),
]

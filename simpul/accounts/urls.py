from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("lupa-sandi/", views.password_reset_request, name="password-reset"),
    path("atur-sandi/<uidb64>/<token>/", views.password_set_view, name="password-set"),
    path("akun/", views.profile, name="profile"),
    path("akun/ganti-sandi/", views.password_change_view, name="password-change"),
    path("pengguna/", views.user_list, name="user-list"),
    path("pengguna/baru/", views.user_create, name="user-create"),
    path("pengguna/<int:pk>/", views.user_edit, name="user-edit"),
    path("pengguna/<int:pk>/kirim-tautan/", views.user_send_link, name="user-send-link"),
    path("audit/", views.audit_log, name="audit-log"),
]

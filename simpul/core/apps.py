from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "simpul.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_renewed_at_login

        user_logged_in.connect(session_renewed_at_login, dispatch_uid="simpul.session_renewed_at_login")

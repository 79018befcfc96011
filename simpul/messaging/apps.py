from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "simpul.messaging"
    label = "messaging"
    verbose_name = _("Komunikasi")

    def ready(self) -> None:
        from . import navigation, panels  # noqa: F401  (the menu entry; the centre thread on the centre's page)

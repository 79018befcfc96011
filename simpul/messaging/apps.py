from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "simpul.messaging"
    label = "messaging"
    verbose_name = _("Komunikasi")

    def ready(self) -> None:
        from . import navigation, panels, seeding  # noqa: F401  (registrations: menu, centre page panel, demo data)

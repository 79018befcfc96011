from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "simpul.reporting"
    label = "reporting"
    verbose_name = _("Pelaporan dan bantuan")

    def ready(self) -> None:
        from . import access, navigation, panels, seeding, threads  # noqa: F401  (registrations)

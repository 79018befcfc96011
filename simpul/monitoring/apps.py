from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "simpul.monitoring"
    verbose_name = _("Pemantauan")

    def ready(self) -> None:
        from simpul.core import changes

        from . import facts, navigation  # noqa: F401  (navigation registers the menu entry)

        changes.on_centre_months_changed(facts.refresh_centre_months)

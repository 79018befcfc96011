from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "simpul.centers"
    label = "centers"
    verbose_name = _("Registri BLK Komunitas")

    def ready(self) -> None:
        from . import navigation, rules, seeding  # noqa: F401  (registrations)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "simpul.training"
    label = "training"
    verbose_name = _("Pelatihan dan alumni")

    def ready(self) -> None:
        from . import navigation, panels, rules, seeding  # noqa: F401  (registrations)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "simpul.training"
    label = "training"
    verbose_name = _("Pelatihan dan alumni")

    def ready(self) -> None:
        from simpul.core import changes

        from . import navigation, panels, rules, seeding  # noqa: F401  (registrations)
        from .services.areas import center_areas_refresh

        changes.on_centre_months_changed(center_areas_refresh)  # a centre that moves takes its people along

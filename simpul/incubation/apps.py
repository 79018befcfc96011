from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubationConfig(AppConfig):
    name = "simpul.incubation"
    label = "incubation"
    verbose_name = _("Inkubasi wirausaha")

    def ready(self) -> None:
        from . import navigation, panels, rules, seeding, threads  # noqa: F401  (registrations)

from django.utils.translation import gettext_lazy as _

from simpul.core.navigation import NavItem, register


def _has_role(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role)  # type: ignore[attr-defined]


register(
    NavItem(
        key="communication",
        label=_("Komunikasi"),
        url_name="messaging:inbox",
        order=60,
        description=_("Pengumuman, kanal provinsi, utas BLK, dan pesan langsung."),
        visible=_has_role,
    )
)

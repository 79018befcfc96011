"""Menu entry of the dashboards: officials see their area, a centre's staff their centre."""

from django.utils.translation import gettext_lazy as _

from simpul.core.navigation import NavItem, register

from .scope import can_view_dashboards

register(
    NavItem(
        key="dashboard",
        label=_("Pantauan"),
        url_name="monitoring:dashboard",
        order=5,
        description=_(
            "Dasbor capaian per wilayah: peserta, kelulusan, penempatan, tenant, kelengkapan laporan, bantuan dan LPJ."
        ),
        visible=can_view_dashboards,
    )
)

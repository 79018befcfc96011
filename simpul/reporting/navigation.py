from django.utils.translation import gettext_lazy as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.navigation import NavItem, register

from .models import Grant, ReportForm, Submission

register(
    NavItem(
        key="reports",
        label=_("Laporan"),
        url_name="reporting:submissions",
        order=20,
        description=_("Isi, kirim dan tinjau laporan berkala; lihat kelengkapan dan ketepatan waktu."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Submission),
    )
)
register(
    NavItem(
        key="grants",
        label=_("Bantuan & LPJ"),
        url_name="reporting:grants",
        order=30,
        description=_("Bantuan pemerintah per BLK, tahap pencairan, dan LPJ yang masih terutang."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Grant),
    )
)
register(
    NavItem(
        key="report_forms",
        label=_("Formulir laporan"),
        url_name="reporting:form-list",
        order=70,
        description=_(
            "Susun dan terbitkan formulir laporan: indikator, aturan pemeriksaan, tenggat, wajib bagi siapa."
        ),
        visible=lambda user: policy.allowed(user, Action.CHANGE, ReportForm),
    )
)

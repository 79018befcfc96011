from django.utils.translation import gettext_lazy as _

from simpul.core.models import AuditEvent
from simpul.core.navigation import NavItem, register

from . import policy
from .models import User
from .policy import Action

register(
    NavItem(
        key="users",
        label=_("Pengguna"),
        url_name="accounts:user-list",
        order=80,
        description=_("Buat akun, tetapkan peran dan cakupan, kirim tautan kata sandi."),
        visible=lambda user: policy.allowed(user, Action.VIEW, User),
    )
)
register(
    NavItem(
        key="audit",
        label=_("Log audit"),
        url_name="accounts:audit-log",
        order=90,
        description=_("Siapa masuk, gagal masuk, terkunci, mengekspor atau melihat data pribadi."),
        visible=lambda user: policy.allowed(user, Action.VIEW, AuditEvent),
    )
)

from django.utils.translation import gettext_lazy as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.navigation import NavItem, register

from .models import Center

register(
    NavItem(
        key="centers",
        label=_("BLK Komunitas"),
        url_name="centers:list",
        order=10,
        description=_("Daftar BLK dalam cakupan Anda: profil, kejuruan, instruktur, fasilitas, narahubung."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Center),
    )
)

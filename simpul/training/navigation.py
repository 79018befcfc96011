from django.utils.translation import gettext_lazy as _

from simpul.accounts import policy
from simpul.accounts.policy import Action
from simpul.core.navigation import NavItem, register

from .models import Outcome, Package, Person

register(
    NavItem(
        key="training",
        label=_("Pelatihan"),
        url_name="training:packages",
        order=15,
        description=_("Paket pelatihan, pendaftaran peserta, kehadiran, hasil dan sertifikasi."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Package),
    )
)
register(
    NavItem(
        key="participants",
        label=_("Peserta & alumni"),
        url_name="training:people",
        order=16,
        description=_("Peserta pelatihan (satu orang satu data di semua BLK) dan riwayat pelatihannya."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Person),
    )
)
register(
    NavItem(
        key="tracing",
        label=_("Penelusuran alumni"),
        url_name="training:tracing",
        order=17,
        description=_("Siapa yang perlu ditanya kabarnya 3, 6 dan 12 bulan setelah lulus; masa tunggu kerja."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Outcome),
    )
)

"""Menu entries of the incubation programme."""

from django.utils.translation import gettext_lazy as _

from simpul.accounts import policy
from simpul.accounts.models import Role
from simpul.accounts.policy import Action
from simpul.core.navigation import NavItem, register

from .models import Assessment, Assignment, Incubator, SelectionRound

register(
    NavItem(
        key="incubators",
        label=_("Inkubator"),
        url_name="incubation:incubators",
        order=40,
        description=_("Inkubator wirausaha, tenant, pendampingan, angka usaha dan produk unggulan."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Incubator) and user.role != Role.WIRAUSAHA,
    )
)
register(
    NavItem(
        key="my_business",
        label=_("Usaha saya"),
        url_name="incubation:my-business",
        order=41,
        description=_("Angka usaha bulanan, produk dan catatan pendampingan usaha Anda."),
        visible=lambda user: getattr(user, "role", None) == Role.WIRAUSAHA,
    )
)
register(
    NavItem(
        key="selection",
        label=_("Seleksi inkubator"),
        url_name="incubation:rounds",
        order=45,
        description=_("Putaran seleksi BLK calon inkubator: kriteria, reviewer, nilai, peringkat dan keputusan."),
        visible=lambda user: policy.allowed(user, Action.VIEW, SelectionRound),
    )
)
register(
    NavItem(
        key="review_queue",
        label=_("Tugas menilai"),
        url_name="incubation:review-queue",
        order=46,
        description=_("Calon inkubator yang ditugaskan kepada Anda untuk dinilai."),
        visible=lambda user: (
            getattr(user, "role", None) in (Role.FKN, Role.MENTOR)
            and policy.scope_queryset(user, Assignment.objects.all()).exists()
        ),
    )
)
register(
    NavItem(
        key="self_reliance",
        label=_("Kemandirian"),
        url_name="incubation:self-reliance",
        order=47,
        description=_("Penilaian kemandirian tahunan BLK dan kesiapan BLK angkatan 2017–2019 untuk mandiri."),
        visible=lambda user: policy.allowed(user, Action.VIEW, Assessment),
    )
)

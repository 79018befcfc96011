"""Demo accounts (one per role, listed in the README) and the generated staff of each centre."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from simpul.core import fake
from simpul.core.seeding import BATCH_SIZE, SeedContext, seeder
from simpul.regions.models import Province, Regency

from .models import Role, User

DEMO_PASSWORD = "simpul-demo-2026"  # noqa: S105 (demo data only, listed in the README)
DEMO_PROVINCE = "35"  # Jawa Timur
DEMO_REGENCY = "35.07"  # Kabupaten Malang


def demo_accounts(center: Any) -> list[dict[str, Any]]:
    province = Province.objects.get(code=DEMO_PROVINCE)
    regency = Regency.objects.get(code=DEMO_REGENCY)
    return [
        {
            "username": "admin.pusat",
            "full_name": "Admin Pusat Kemnaker",
            "role": Role.ADMIN_PUSAT,
            "is_staff": True,
            "is_superuser": True,
        },
        {"username": "fkn.nasional", "full_name": "Koordinator FKN Nasional", "role": Role.FKN},
        {
            "username": "fkn.jatim",
            "full_name": "Koordinator FKN Jawa Timur",
            "role": Role.FKN,
            "scope_province": province,
        },
        {
            "username": "pemda.jatim",
            "full_name": "Disnakertrans Provinsi Jawa Timur",
            "role": Role.PEMDA,
            "scope_province": province,
        },
        {
            "username": "pemda.malang",
            "full_name": "Disnaker Kabupaten Malang",
            "role": Role.PEMDA,
            "scope_regency": regency,
        },
        {"username": "pengelola.demo", "full_name": "Ahmad Fauzi", "role": Role.PENGELOLA, "scope_center": center},
        {"username": "instruktur.demo", "full_name": "Siti Rahmawati", "role": Role.INSTRUKTUR, "scope_center": center},
        {
            "username": "mentor.demo",
            "full_name": "Dr. Bambang Wibowo (IPB)",
            "role": Role.MENTOR,
            "scope_center": center,
        },
        {"username": "wirausaha.demo", "full_name": "Nur Aisyah", "role": Role.WIRAUSAHA, "scope_center": center},
    ]


@seeder(order=30)
def seed_accounts(context: SeedContext) -> None:
    from django.apps import apps

    center_model = apps.get_model("centers", "Center")
    demo_center = context.shared.get("demo_center") or center_model.objects.order_by("pk").first()
    demo_hash = make_password(DEMO_PASSWORD)
    users = [
        User(email=f"{spec['username']}@simpul.test", password=demo_hash, **spec) for spec in demo_accounts(demo_center)
    ]
    # Every other centre gets a manager; generated accounts cannot log in.
    unusable = make_password(None)
    others = center_model.objects.exclude(pk=demo_center.pk).order_by("pk").values_list("pk", flat=True)
    for number, center_id in enumerate(others, start=1):
        # Named by position, not by database id, so the same seed gives the same names.
        users.append(
            User(
                username=f"pengelola.blk{number:05d}",
                full_name=fake.person_name(context.rng),
                email=f"pengelola.blk{number:05d}@simpul.test",
                role=Role.PENGELOLA,
                scope_center_id=center_id,
                password=unusable,
            )
        )
    bulk_create_with_history(users, User, batch_size=BATCH_SIZE, default_change_reason="seed")
    context.out.write(f"  pengguna: {len(users):,} (akun demo: {len(demo_accounts(demo_center))})\n")

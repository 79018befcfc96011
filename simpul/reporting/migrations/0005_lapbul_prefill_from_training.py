"""The monthly report's training figures are prefilled from the training records (issue 4).

Where a figure is prefilled from is a hint for filling, not part of what the
figure means, so the published LAPBUL versions take it without a new version.
Only indicators without a prefill source are touched.
"""

from django.db import migrations

SOURCES = {
    "paket_berjalan": "pelatihan.paket_berjalan",
    "jam_pelatihan": "pelatihan.jam",
    **{f"{figure}_{sex}": f"pelatihan.{figure}" for figure in ("peserta", "lulus", "sertifikat", "bekerja", "wirausaha") for sex in "lp"},
}


def forwards(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(version__form__code="LAPBUL", code=code, prefill="").update(prefill=source)


def backwards(apps, schema_editor):
    Indicator = apps.get_model("reporting", "Indicator")
    for code, source in SOURCES.items():
        Indicator.objects.filter(version__form__code="LAPBUL", code=code, prefill=source).update(prefill="")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_instalment_condition_label")]

    operations = [migrations.RunPython(forwards, backwards)]

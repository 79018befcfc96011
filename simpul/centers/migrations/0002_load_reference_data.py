"""Load the national vocations and the technical units (centers/data/*.csv)."""

from django.db import migrations


def load(apps, schema_editor):
    from simpul.centers.reference import load_reference_data

    load_reference_data(
        apps.get_model("centers", "Vocation"),
        apps.get_model("centers", "SubVocation"),
        apps.get_model("centers", "TechnicalUnit"),
    )


def unload(apps, schema_editor):
    from simpul.centers.reference import reference_codes

    codes = reference_codes()
    apps.get_model("centers", "SubVocation").objects.filter(code__in=codes["sub_vocations"]).delete()
    apps.get_model("centers", "Vocation").objects.filter(code__in=codes["vocations"]).delete()
    apps.get_model("centers", "TechnicalUnit").objects.filter(code__in=codes["technical_units"]).delete()


class Migration(migrations.Migration):
    dependencies = [("centers", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

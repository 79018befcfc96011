"""The report forms that ship with Simpul: monthly activity, quarterly incubator, yearly self-reliance, LPJ."""

from django.db import migrations


def load(apps, schema_editor):
    from simpul.reporting.formdefs import load_forms

    load_forms(*(apps.get_model("reporting", name) for name in ("ReportForm", "FormVersion", "Section", "Indicator", "ValidationRule")))


def unload(apps, schema_editor):
    from simpul.reporting.formdefs import definitions

    codes = [spec["code"] for spec in definitions()]
    ReportForm = apps.get_model("reporting", "ReportForm")
    FormVersion = apps.get_model("reporting", "FormVersion")
    Submission = apps.get_model("reporting", "Submission")
    Submission.objects.filter(form__code__in=codes).delete()
    FormVersion.objects.filter(form__code__in=codes).delete()
    ReportForm.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

"""Centres get the dates they opened and closed (reporting expects reports only in between)."""

import datetime

from django.db import migrations, models


def fill_dates(apps, schema_editor):
    # Existing centres: assume training began mid-way through the grant year;
    # an inactive centre is taken as closed on the day of this migration.
    Center = apps.get_model("centers", "Center")
    for center in Center.objects.all():
        center.opened_on = datetime.date(center.cohort, 7, 1)
        if center.status == "nonaktif":
            center.closed_on = datetime.date.today()
        center.save(update_fields=["opened_on", "closed_on"])


class Migration(migrations.Migration):
    dependencies = [("centers", "0002_load_reference_data")]

    operations = [
        migrations.AddField(
            model_name="center",
            name="opened_on",
            field=models.DateField(null=True, help_text="Tanggal BLK mulai melatih.", verbose_name="mulai beroperasi"),
        ),
        migrations.AddField(
            model_name="center",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="berhenti beroperasi"),
        ),
        migrations.AddField(
            model_name="historicalcenter",
            name="opened_on",
            field=models.DateField(null=True, help_text="Tanggal BLK mulai melatih.", verbose_name="mulai beroperasi"),
        ),
        migrations.AddField(
            model_name="historicalcenter",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="berhenti beroperasi"),
        ),
        migrations.RunPython(fill_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="center",
            name="opened_on",
            field=models.DateField(help_text="Tanggal BLK mulai melatih.", verbose_name="mulai beroperasi"),
        ),
        migrations.AlterField(
            model_name="historicalcenter",
            name="opened_on",
            field=models.DateField(help_text="Tanggal BLK mulai melatih.", verbose_name="mulai beroperasi"),
        ),
    ]

"""Reminding entrepreneurs of last month's business figures, like a centre's report reminder.

From the 6th of the month (in the incubator's own time zone) every tenant
still in the programme who has an account and no figures for last month is
reminded once. The reminder is recorded as the notification itself, under
a unique key per tenant and month (`messaging.notify`'s `dedupe_key`), so
running the job twice, or on two workers at once, sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from simpul.messaging.models import Notification
from simpul.messaging.services import notify
from simpul.regions.models import TimeZone
from simpul.training.services.tracing import add_months

from ..models import BusinessFigure, Tenant
from .business import first_of_month, month_label

REMIND_AFTER_DAY = 5  # figures of a month are due by the 5th of the next


@dataclass
class FigureReminderReport:
    reminded: int = 0
    tenants: list[int] = field(default_factory=list)


def reminder_key(tenant_id: int, month: dt.date) -> str:
    return f"incubation:figures:{tenant_id}:{month:%Y-%m}"


def _due(zone: str, month: dt.date) -> list[Tenant]:
    """Tenants of incubators in this time zone still owing `month`'s figures."""
    missing = ~Exists(BusinessFigure.objects.filter(tenant=OuterRef("pk"), month=month))
    return list(
        Tenant.objects.filter(
            missing,
            incubator__center__province__timezone=zone,
            left_on__isnull=True,
            user__isnull=False,
            user__is_active=True,
            pre_on__lt=add_months(month, 1),
            business_started_on__lt=add_months(month, 1),
        )
        .select_related("user")
        .order_by("pk")
    )


def send_figure_reminders(*, now: dt.datetime) -> FigureReminderReport:
    report = FigureReminderReport()
    for zone in TimeZone.values:
        today = now.astimezone(ZoneInfo(zone)).date()
        if today.day <= REMIND_AFTER_DAY:
            continue
        month = add_months(first_of_month(today), -1)
        tenants = _due(zone, month)
        # notify() keys each person's copy as "<key>:<user id>": those already written were sent.
        keys = {tenant.pk: f"{reminder_key(tenant.pk, month)}:{tenant.user_id}" for tenant in tenants}
        wanted = list(keys.values())
        sent: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = Notification.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True)
            sent.update(key for key in rows if key)
        label = month_label(month)
        for tenant in tenants:
            if keys[tenant.pk] in sent:  # reminded by an earlier run
                continue
            created = notify(
                recipients=[tenant.user],
                kind="figures_reminder",
                title=_("Isi angka usaha %(month)s: %(business)s") % {"month": label, "business": tenant.business_name},
                body=_(
                    "Angka usaha bulan lalu (omzet, pekerja, pasar) belum diisi. Isi lewat menu Usaha saya; "
                    "cukup beberapa menit dari HP."
                ),
                url=reverse("incubation:figure", args=[tenant.pk]) + f"?bulan={month:%Y-%m}",
                dedupe_key=reminder_key(tenant.pk, month),
            )
            if created:
                report.reminded += 1
                report.tenants.append(tenant.pk)
    return report

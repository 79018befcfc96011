"""Incubation's records with a comment thread on their page: a tenant and a selection round (messaging.access)."""

from __future__ import annotations

from django.urls import reverse

from simpul.messaging.access import RecordThreads, register_record

register_record(
    RecordThreads(
        "incubation.tenant",
        url=lambda tenant: reverse("incubation:tenant", args=[tenant.pk]),
        center_id=lambda tenant: tenant.incubator.center_id,
    )
)
# A selection round is national: no centre's managers hear of its comments by default.
register_record(
    RecordThreads(
        "incubation.selectionround",
        url=lambda selection_round: reverse("incubation:round", args=[selection_round.pk]),
        center_id=lambda selection_round: None,
    )
)

"""Loading the report forms that ship with Simpul (data/forms.json).

Takes the model classes as arguments so the data migration passes its
historical models. Only forms whose code does not exist yet are created (as
published version 1): forms edited in the app are never overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import timezone

DEFINITIONS = Path(__file__).resolve().parent / "data" / "forms.json"


def definitions() -> list[dict[str, Any]]:
    return json.loads(DEFINITIONS.read_text(encoding="utf-8"))["forms"]


def load_forms(form_model: Any, version_model: Any, section_model: Any, indicator_model: Any, rule_model: Any) -> int:
    created = 0
    for spec in definitions():
        if form_model.objects.filter(code=spec["code"]).exists():
            continue
        form = form_model.objects.create(
            code=spec["code"],
            name=spec["name"],
            name_en=spec.get("name_en", ""),
            description=spec.get("description", ""),
            period_type=spec["period_type"],
            due_days=spec["due_days"],
            assignment=spec["assignment"],
        )
        version = version_model.objects.create(
            form=form, number=1, status="terbit", published_at=timezone.now(), note="Versi bawaan Simpul"
        )
        for section_order, section_spec in enumerate(spec["sections"], start=1):
            section = section_model.objects.create(
                version=version, order=section_order, title=section_spec["title"], title_en=section_spec["title_en"]
            )
            for order, item in enumerate(section_spec["indicators"], start=1):
                indicator_model.objects.create(
                    version=version,
                    section=section,
                    order=order,
                    code=item["code"],
                    label=item["label"],
                    label_en=item.get("label_en", ""),
                    help_text=item.get("help_text", ""),
                    type=item["type"],
                    required=item.get("required", True),
                    min_value=item.get("min_value"),
                    max_value=item.get("max_value"),
                    choices=item.get("choices", []),
                    prefill=item.get("prefill", ""),
                    history_check=item.get("history_check", False),
                )
        for item in spec["rules"]:
            rule_model.objects.create(version=version, **item)
        created += 1
    return created

"""Loading the registry's reference lists (vocations, technical units).

Takes the model classes as arguments so the data migration can pass its
historical models and tests the real ones. Idempotent: existing codes are
updated, new ones added, nothing is deleted.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(vocation_model: Any, sub_vocation_model: Any, unit_model: Any) -> None:
    vocations = {}
    for row in _rows("vocations.csv"):
        vocation, _ = vocation_model.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
        vocations[row["code"]] = vocation
    for row in _rows("sub_vocations.csv"):
        sub_vocation_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "vocation": vocations[row["vocation_code"]]}
        )
    for row in _rows("technical_units.csv"):
        unit_model.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "location": row["location"]}
        )


def reference_codes() -> dict[str, list[str]]:
    return {
        "vocations": [r["code"] for r in _rows("vocations.csv")],
        "sub_vocations": [r["code"] for r in _rows("sub_vocations.csv")],
        "technical_units": [r["code"] for r in _rows("technical_units.csv")],
    }

"""Registry timings: the centre list at each scope, the pages, the national export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simpul.centers import selectors
from simpul.core.exports import build_xlsx


def run(bench: Any) -> None:
    timed = bench.timed

    def first_page(actor: Any) -> Callable[[], object]:
        return lambda: list(selectors.center_list(actor=actor)[:25]) and selectors.center_list(actor=actor).count()

    timed("centre list, page 1 + count, national scope (selector)", first_page(bench.national), repeat=20)
    timed("centre list, page 1 + count, province scope (selector)", first_page(bench.province), repeat=20)
    timed("centre list, page 1 + count, centre scope (selector)", first_page(bench.centre), repeat=20)
    timed(
        "centre list, text search 'al-falah', national (selector)",
        lambda: selectors.center_list(actor=bench.national, filters=selectors.CenterFilters(q="al-falah")).count(),
        repeat=20,
    )
    timed("GET /blk/ as Admin Pusat (whole page)", bench.get("/blk/"), repeat=20)
    timed("GET /blk/?province=35 (filtered page)", bench.get("/blk/?province=35"), repeat=20)
    timed("GET /blk/<id>/ centre page with history", bench.get(f"/blk/{bench.centre.scope_center_id}/"), repeat=20)

    def export_all() -> int:
        count, rows = selectors.center_export_rows(actor=bench.national, filters=selectors.CenterFilters())
        build_xlsx("BLK", selectors.EXPORT_COLUMNS, rows)
        return count

    timed("export every centre to xlsx (national)", export_all, repeat=3)

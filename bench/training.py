"""Training timings at national scale (issue 4's targets):

- the participant list of a province (1.5 million people nationally) pages in <= 200 ms server time
- the tracing worklist and a person's page stay flat
(importing 10,000 rows is bench/training_import.py)
"""

from __future__ import annotations

from typing import Any

from simpul.training.models import Person
from simpul.training.selectors.people import PersonFilters, person_list
from simpul.training.selectors.tracing import tracing_worklist


def _page(actor: Any, q: str = "") -> object:
    people = person_list(actor=actor, filters=PersonFilters(q=q))
    return (people.count(), list(people[:25]))


def _open_page(actor: Any, q: str = "") -> object:
    """What the list page runs (core.pagination.paginate_open): 26 rows, no count."""
    return list(person_list(actor=actor, filters=PersonFilters(q=q))[:26])


def run(bench: Any) -> None:
    print("Training", flush=True)
    for label, actor in (("national", bench.national), ("province", bench.province), ("centre", bench.centre)):
        bench.timed(f"participant list, page 1 + count, {label} scope (selector)", lambda a=actor: _page(a), repeat=10)
    bench.timed(
        "participant list, name search + count, province scope", lambda: _page(bench.province, "siti"), repeat=10
    )
    for term in ("siti", "nur", "wati", "abd"):
        bench.timed(
            f"participant name search {term!r}, page 1 (no count), province",
            lambda t=term: _open_page(bench.province, t),
            repeat=10,
        )
    bench.timed("GET /peserta/?q=siti, province official", bench.get("/peserta/?q=siti", bench.province), repeat=10)
    bench.timed("GET /peserta/ whole page, province official", bench.get("/peserta/", bench.province), repeat=10)
    # Page 200 as the list reaches it: by keyset from the last row of page 199 (found here, untimed, by OFFSET).
    people = person_list(actor=bench.province, filters=PersonFilters())
    cursor = people.values_list("pk", flat=True)[199 * 25 - 1]
    bench.timed(
        "GET /peserta/?setelah=<row 4,975>&page=200, province official",
        bench.get(f"/peserta/?setelah={cursor}&page=200", bench.province),
        repeat=10,
    )
    siti = person_list(actor=bench.province, filters=PersonFilters(q="siti"))
    cursor = siti.values_list("pk", flat=True)[19 * 25 - 1]
    bench.timed(
        "GET /peserta/?q=siti&setelah=<row 475>&page=20, province official",
        bench.get(f"/peserta/?q=siti&setelah={cursor}&page=20", bench.province),
        repeat=10,
    )
    bench.timed("GET /peserta/?q=nur, province official", bench.get("/peserta/?q=nur", bench.province), repeat=10)
    person = Person.objects.filter(enrolments__package__center__regency_id="35.07").first()
    if person is not None:
        bench.timed(
            "GET /peserta/<id>/ a person's page", bench.get(f"/peserta/{person.pk}/", bench.province), repeat=10
        )
    bench.timed("tracing worklist of the demo centre", lambda: tracing_worklist(actor=bench.centre), repeat=10)
    bench.timed("GET /penelusuran/ demo centre", bench.get("/penelusuran/", bench.centre), repeat=10)
    bench.timed("GET /pelatihan/ province official", bench.get("/pelatihan/", bench.province), repeat=10)

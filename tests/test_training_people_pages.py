"""The people list pages through a province's hundreds of thousands of participants by keyset: each page is
read from the row before or after it, so page 200 costs what page 1 does, and the links carry an id only."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from simpul.core.pagination import paginate_keyset
from simpul.training.models import Enrolment, Person
from simpul.training.services.areas import person_areas_refresh

from .factories import PackageFactory, PersonFactory

PAGE = 3
# Ties in the name are ordered by id; lower and upper case sort alike only under the trigram search's order,
# so the names here differ in more than case.
NAMES = [
    "Ahmad Fauzi",
    "Budi Santoso",
    "Dewi Lestari",
    "Siti Aminah",
    "Siti Aminah",
    "Siti Aminah",
    "Siti Nurhaliza",
    "Agus Sitiadi",
    "Rina Wati",
    "Yusuf Siti",
]


@pytest.fixture
def people(world, settings):
    settings.SIMPUL_PAGE_SIZE = PAGE
    malang = PackageFactory(center=world.malang)
    semarang = PackageFactory(center=world.semarang)
    made = []
    for name in NAMES:
        person = PersonFactory(full_name=name)
        Enrolment.objects.create(package=malang, person=person, enrolled_by=world.user("pengelola_malang"))
        made.append(person)
    outsider = PersonFactory(full_name="Aaron Siti Luar")  # Central Java: first of all by name, outside East Java
    Enrolment.objects.create(package=semarang, person=outsider, enrolled_by=world.user("admin"))
    person_areas_refresh(p.pk for p in [*made, outsider])  # what the enrolment services do (many rows at once here)
    return {"east_java": sorted(made, key=lambda p: (p.full_name, p.pk)), "outsider": outsider}


def _rows(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<a href="/peserta/(\d+)/">', page)]


def _link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def _walk(client, start: str, rel: str) -> list[tuple[str, list[int]]]:
    """Follow the rel=next (or prev) links from `start`: each page's text and its people's ids."""
    pages, url = [], start
    while url is not None:
        response = client.get("/peserta/" + url if url.startswith("?") else url)
        assert response.status_code == 200
        text = response.content.decode()
        pages.append((text, _rows(text)))
        url = _link(text, rel)
        assert len(pages) <= 20, "the links go round in a circle"
    return pages


def test_following_next_shows_everyone_in_scope_once_in_name_order_and_previous_walks_back(people, world, client):
    client.force_login(world.user("pemda_jatim"))
    forward = _walk(client, "/peserta/", "next")
    seen = [pk for _, rows in forward for pk in rows]
    assert seen == [p.pk for p in people["east_java"]]
    assert people["outsider"].pk not in seen
    assert [len(rows) for _, rows in forward] == [3, 3, 3, 1]
    assert [re.search(r"Halaman (\d+)", text).group(1) for text, _ in forward] == ["1", "2", "3", "4"]
    assert "10–10" in forward[-1][0]

    last = _link(forward[-2][0], "next")
    backward = _walk(client, last, "prev")
    assert [rows for _, rows in backward] == [rows for _, rows in reversed(forward)]
    assert "Sebelumnya" not in backward[-1][0]


def test_the_name_search_pages_the_same_way_in_its_own_order(people, world, client):
    client.force_login(world.user("pemda_jatim"))
    forward = _walk(client, "/peserta/?q=siti", "next")
    expected = [p.pk for p in people["east_java"] if "siti" in p.full_name.lower()]
    assert [pk for _, rows in forward for pk in rows] == expected
    assert all("q=siti" in _link(text, "next") for text, _ in forward[:-1])


def test_the_links_carry_an_id_never_a_name(people, world, client):
    client.force_login(world.user("pemda_jatim"))
    first = client.get("/peserta/").content.decode()
    link = _link(first, "next")
    assert re.fullmatch(r"\?setelah=\d+&page=2", link), link
    assert int(link.split("=")[1].split("&")[0]) == people["east_java"][PAGE - 1].pk


@pytest.mark.parametrize("cursor", ["setelah", "sebelum"])
def test_a_cursor_outside_the_actors_scope_or_malformed_gives_the_first_page(people, world, client, cursor):
    client.force_login(world.user("pemda_jatim"))
    first = _rows(client.get("/peserta/").content.decode())
    outsider = people["outsider"].pk
    for value in (outsider, "abc", "-5", "999999999"):
        page = client.get("/peserta/", {cursor: value, "page": 7}).content.decode()
        assert _rows(page) == first
        assert "Halaman 1" in page
        assert "Aaron" not in page


def test_a_deep_page_takes_the_queries_of_the_first_and_reads_no_rows_before_it(people, world, client):
    client.force_login(world.user("pemda_jatim"))
    with CaptureQueriesContext(connection) as first:
        client.get("/peserta/")
    deep = _link(_walk(client, "/peserta/", "next")[-2][0], "next")
    with CaptureQueriesContext(connection) as last:
        response = client.get("/peserta/" + deep)
    assert _rows(response.content.decode()) == [people["east_java"][-1].pk]
    # One more query than the first page: the cursor row's sort values, read within the actor's scope.
    assert len(last) == len(first) + 1
    assert not any("OFFSET" in query["sql"].upper() for query in last.captured_queries)


def test_keyset_pages_refuse_a_list_not_ordered_by_ascending_names(people, rf):
    with pytest.raises(ValueError, match="ascending"):
        paginate_keyset(rf.get("/peserta/"), Person.objects.order_by("-full_name", "id"))
    with pytest.raises(ValueError, match="ascending"):
        paginate_keyset(rf.get("/peserta/"), Person.objects.all())

"""Every selection page × every role: allowed, or 404 with nothing changed (from DESIGN.md's role table:
Admin Pusat runs selection; national FKN reads rounds; reviewers reach only their own assignments)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from simpul.incubation.models import Assignment, RoundStatus
from simpul.incubation.services import reviewing
from simpul.incubation.services import selection as services
from simpul.messaging.models import Notification

from .conftest import VISIBLE_CENTERS
from .test_incubation_selection import RUBRIC, build_round, make_eligible, score_everything, state

EVERYONE = set(VISIBLE_CENTERS)
ADMIN = {"admin"}
NATIONAL = {"admin", "fkn_national"}
# The list answers every role that may read rounds; a province FKN coordinator finds none in it (rounds are national).
ROUND_READERS = NATIONAL | {"fkn_jatim"}
REVIEWERS = {"fkn_national", "fkn_jatim", "mentor_malang"}
# A fellow reviewer of the round who opens or posts to a colleague's assignment is sent back to their own
# queue with the reason ("not assigned to you"), nothing changed; a 404 would deny a round they work in.
REFUSED_IN_WORDS = {
    "review (FKN Jatim's)": REVIEWERS - {"fkn_jatim"},
    "review (mentor's)": REVIEWERS - {"mentor_malang"},
    "score": REVIEWERS - {"fkn_jatim"},
    "conflict": REVIEWERS - {"fkn_jatim"},
}


@pytest.fixture
def setup(world):
    """A draft, an open and a decided round, reviewed by the world's FKN coordinators and mentor."""
    reviewers = [world.user(key) for key in sorted(REVIEWERS)]
    admin = world.user("admin")
    decided = build_round(world, reviewers=reviewers, per_candidate=1)
    score_everything(decided)
    reviewing.round_decide(
        actor=admin, round_id=decided.pk, candidate_ids=[decided.candidates.order_by("pk").first().pk], note="Uji"
    )
    scoring = build_round(world, reviewers=reviewers)
    ready = build_round(world, reviewers=reviewers, open_it=False)
    draft = build_round(world, reviewers=reviewers, open_it=False)
    # Room for one more criterion in the draft (weights 95 of 100).
    services.criterion_update(actor=admin, criterion_id=draft.criteria.get(code="kesiapan").pk, weight=Decimal(25))
    decided.refresh_from_db()
    assert (draft.status, scoring.status, decided.status) == (
        RoundStatus.DRAFT,
        RoundStatus.SCORING,
        RoundStatus.DECIDED,
    )
    own = {
        key: Assignment.objects.filter(candidate__round=scoring, reviewer=world.user(key)).order_by("pk").first()
        for key in ("fkn_jatim", "mentor_malang")
    }
    return {"draft": draft, "ready": ready, "scoring": scoring, "decided": decided, "own": own}


def _url(name, *args):
    return reverse(f"incubation:{name}", args=args)


GET_PAGES = [
    ("rounds", lambda s: _url("rounds"), ROUND_READERS),
    ("new round", lambda s: _url("round-create"), ADMIN),
    ("round", lambda s: _url("round", s["scoring"].pk), NATIONAL),
    ("draft round", lambda s: _url("round", s["draft"].pk), NATIONAL),
    ("edit round", lambda s: _url("round-edit", s["draft"].pk), ADMIN),
    ("criteria", lambda s: _url("criteria", s["draft"].pk), ADMIN),
    ("edit criterion", lambda s: _url("criterion-edit", s["draft"].pk, s["draft"].criteria.first().pk), ADMIN),
    ("candidates", lambda s: _url("candidates", s["draft"].pk) + "?q=BLK", ADMIN),
    ("reviewers", lambda s: _url("assign", s["draft"].pk), ADMIN),
    ("ranking", lambda s: _url("ranking", s["scoring"].pk), ADMIN),
    ("decide", lambda s: _url("decide", s["scoring"].pk), ADMIN),
    ("published decision", lambda s: _url("decision", s["decided"].pk), EVERYONE),
    ("undecided round's decision", lambda s: _url("decision", s["scoring"].pk), set()),
    ("review queue", lambda s: _url("review-queue"), REVIEWERS),
    ("review (FKN Jatim's)", lambda s: _url("review", s["own"]["fkn_jatim"].pk), {"fkn_jatim"}),
    ("review (mentor's)", lambda s: _url("review", s["own"]["mentor_malang"].pk), {"mentor_malang"}),
]


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_each_selection_page_answers_each_role(world, setup, client, user_key, page, url, allowed):
    client.force_login(world.user(user_key))
    response = client.get(url(setup))
    if user_key in REFUSED_IN_WORDS.get(page, set()):
        assert (response.status_code, response["Location"]) == (302, _url("review-queue")), page
        return
    assert response.status_code == (200 if user_key in allowed else 404), page


@pytest.mark.parametrize(("page", "url", "allowed"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_only_the_published_decision_is_open_without_signing_in(world, setup, client, page, url, allowed):
    response = client.get(url(setup))
    if page == "published decision":
        assert response.status_code == 200
    elif page == "undecided round's decision":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert "/masuk/" in response.url


def _criterion_form(code):
    return {
        "code": code,
        "name": "Kemitraan",
        "weight": "5",
        "data_source": "",
        **{f"rubric_{i}": f"Arti {i}" for i in range(1, 6)},
    }


def _review_form(rnd):
    data = {"send": "1"}
    for criterion in rnd.criteria.all():
        data[f"score_{criterion.pk}"] = "4"
        data[f"reason_{criterion.pk}"] = "Baik"
    return data


def _posts(s, w):
    """(name, url, data, who may, whether it changes something for them here)."""
    draft, ready, scoring = s["draft"], s["ready"], s["scoring"]
    jatim = s["own"]["fkn_jatim"]
    first_criterion = draft.criteria.first()
    round_form = {"name": "Seleksi Baru", "year": 2027, "quota": 5, "reviewers_per_candidate": 2}
    return [
        ("create round", _url("round-create"), round_form, ADMIN, True),
        ("edit round", _url("round-edit", draft.pk), {**round_form, "name": "Diubah"}, ADMIN, True),
        ("add criterion", _url("criteria", draft.pk), _criterion_form("kemitraan"), ADMIN, True),
        (
            "edit criterion",
            _url("criterion-edit", draft.pk, first_criterion.pk),
            {**_criterion_form(first_criterion.code), "weight": "35"},
            ADMIN,
            True,
        ),
        ("remove criterion", _url("criterion-remove", draft.pk, first_criterion.pk), {}, ADMIN, True),
        # Every eligible centre is listed already, and Malang is one: the admin's side is a no-op here.
        ("build long-list", _url("candidates-build", draft.pk), {}, ADMIN, False),
        ("add candidate", _url("candidate-add", draft.pk), {"center": w.malang.pk}, ADMIN, False),
        ("remove candidate", _url("candidate-remove", draft.pk, draft.candidates.first().pk), {}, ADMIN, True),
        ("assign", _url("assign", draft.pk), {"reviewers": [w.user("fkn_national").pk]}, ADMIN, False),
        ("open", _url("open", ready.pk), {}, ADMIN, True),
        (
            "decide",
            _url("decide", scoring.pk),
            {"candidates": [scoring.candidates.first().pk], "decision_note": "Uji"},
            ADMIN,
            True,
        ),
        ("score", _url("review", jatim.pk), _review_form(scoring), {"fkn_jatim"}, True),
        ("conflict", _url("conflict", jatim.pk), {"conflict_reason": "Keluarga pengelola"}, {"fkn_jatim"}, True),
    ]


POSTS = [
    "create round",
    "edit round",
    "add criterion",
    "edit criterion",
    "remove criterion",
    "build long-list",
    "add candidate",
    "remove candidate",
    "assign",
    "open",
    "decide",
    "score",
    "conflict",
]


def _everything():
    return (*state(), Notification.objects.count())


@pytest.mark.parametrize("user_key", sorted(EVERYONE))
@pytest.mark.parametrize("name", POSTS)
def test_each_selection_write_is_refused_with_404_and_changes_nothing(world, setup, client, user_key, name):
    _name, url, data, allowed, _changes = next(p for p in _posts(setup, world) if p[0] == name)
    if user_key in allowed:
        return  # the allowed side: below and in tests/test_incubation_selection.py
    before = _everything()
    client.force_login(world.user(user_key))
    response = client.post(url, data)
    assert response.status_code == (302 if user_key in REFUSED_IN_WORDS.get(name, set()) else 404)
    assert _everything() == before


@pytest.mark.parametrize("name", POSTS)
def test_each_selection_write_works_for_whom_it_is_meant(world, setup, client, name):
    _name, url, data, allowed, changes = next(p for p in _posts(setup, world) if p[0] == name)
    (who,) = allowed
    client.force_login(world.user(who))
    before = _everything()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (_everything() != before) == changes, name


def test_admin_builds_the_long_list_adds_a_centre_and_assigns_through_the_pages(world, client):
    admin = world.user("admin")
    rnd = services.round_create(actor=admin, name="Kosong", year=2026, quota=1)
    services.criterion_add(actor=admin, round_id=rnd.pk, code="a", name="A", weight=Decimal(100), rubric=RUBRIC)
    client.force_login(admin)
    assert client.post(_url("candidate-add", rnd.pk), {"center": world.semarang.pk}).status_code == 302
    assert rnd.candidates.count() == 1
    make_eligible(world)
    assert client.post(_url("candidates-build", rnd.pk), {"limit": "5"}).status_code == 302
    assert rnd.candidates.count() == 3
    response = client.post(_url("assign", rnd.pk), {"reviewers": [world.user("fkn_national").pk]})
    assert response.status_code == 302
    assert Assignment.objects.filter(candidate__round=rnd).count() == 3

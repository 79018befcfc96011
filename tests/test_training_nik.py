"""The NIK validator (DESIGN.md: 6 district + DDMMYY, women +40 + 4 serial from 0001) and NIK masking."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from simpul.core.idn import check_nik_against, mask_nik, normalize_nik, parse_nik, redact_niks
from simpul.core.logging import RedactingFormatter

from .factories import make_nik

districts = st.tuples(st.integers(11, 99), st.integers(1, 99), st.integers(1, 99)).map(
    lambda t: f"{t[0]:02d}{t[1]:02d}{t[2]:02d}"
)
births = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2025, 12, 31))
serials = st.integers(1, 9999)


@given(district=districts, birth=births, female=st.booleans(), serial=serials)
def test_every_well_formed_nik_is_read_back_exactly(district, birth, female, serial):
    nik = make_nik(birth, female=female, district=district, serial=serial)
    parsed = parse_nik(nik)
    assert parsed.female is female
    assert parsed.serial == serial
    assert parsed.district_code == f"{district[:2]}.{district[2:4]}.{district[4:]}"
    assert parsed.birth_date_matches(birth)
    assert check_nik_against(parsed, birth_date=birth, female=female) == {}


@given(birth=births, female=st.booleans(), other=births)
def test_a_birth_date_other_than_the_encoded_one_is_reported(birth, female, other):
    parsed = parse_nik(make_nik(birth, female=female))
    errors = check_nik_against(parsed, birth_date=other, female=female)
    same = (other.day, other.month, other.year % 100) == (birth.day, birth.month, birth.year % 100)
    assert ("birth_date" in errors) is not same


@given(birth=births, female=st.booleans())
def test_the_wrong_sex_is_reported(birth, female):
    parsed = parse_nik(make_nik(birth, female=female))
    assert "sex" in check_nik_against(parsed, birth_date=None, female=not female)


@given(text=st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda t: len(t) != 16))
def test_any_length_but_16_digits_is_refused(text):
    with pytest.raises(ValidationError) as error:
        parse_nik(text)
    assert error.value.code == "nik_length"


@given(nik=st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_any_16_digits_either_parse_to_a_real_date_or_are_refused_with_a_reason(nik):
    problem: ValidationError | None = None
    try:
        parsed = parse_nik(nik)
    except ValidationError as error:
        problem = error
    if problem is not None:
        assert problem.code in {"nik_region", "nik_birth_date", "nik_serial"}
        assert nik not in str(problem.messages)  # the number is never echoed
    else:
        assert 1 <= parsed.month <= 12
        assert 1 <= parsed.day <= 31
        assert parsed.female is (int(nik[6:8]) > 40)
        assert parsed.serial >= 1


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("3507013205900001", "nik_birth_date"),  # day 32
        ("3507017205900001", "nik_birth_date"),  # woman, day 32
        ("3507011513900001", "nik_birth_date"),  # month 13
        ("3507013002900001", "nik_birth_date"),  # 30 February
        ("3507012902010001", "nik_birth_date"),  # 29 February 2001 / 1901
        ("3507011505900000", "nik_serial"),  # serial 0000
        ("0007011505900001", "nik_region"),
        ("35070115059000a1", "nik_length"),
    ],
)
def test_impossible_niks_are_refused_with_their_reason(nik, code):
    with pytest.raises(ValidationError) as error:
        parse_nik(nik)
    assert error.value.code == code


def test_29_february_of_2000_is_a_real_birth_date():
    assert parse_nik("3507012902000001").birth_date_matches(dt.date(2000, 2, 29))


def test_typed_separators_and_a_spreadsheet_number_are_normalised():
    assert normalize_nik("3507 0115 0590 0001") == "3507011505900001"
    assert normalize_nik("3507011505900001.0") == "3507011505900001"


def test_the_nik_is_masked_to_its_first_and_last_four_digits():
    assert mask_nik("3578010112900001") == "3578••••••••0001"
    assert mask_nik("") == ""


def test_a_nik_in_a_log_line_is_masked():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /cari?nik=%s", ("3578010112900001",), None
    )
    line = RedactingFormatter("%(message)s").format(record)
    assert "3578010112900001" not in line
    assert "3578••••••••0001" in line
    assert redact_niks("telepon 081234567890") == "telepon 081234567890"  # 12 digits: not a NIK


def test_the_configured_logging_masks_a_nik_in_what_it_writes():
    nik = make_nik(dt.date(1990, 12, 1), serial=1)
    configured = [
        h for h in logging.getLogger().handlers if isinstance(getattr(h, "formatter", None), RedactingFormatter)
    ]
    assert configured, f"no root handler formats with RedactingFormatter: {settings.LOGGING['handlers']}"
    handler = configured[0]
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("simpul.training").warning("Tidak ditemukan: /peserta/cari-nik/?nik=%s", nik)
    finally:
        handler.setStream(previous)
    line = stream.getvalue()
    assert "Tidak ditemukan" in line
    assert nik not in line
    assert f"{nik[:4]}••••••••{nik[-4:]}" in line

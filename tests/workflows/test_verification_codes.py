"""Verification codes read off paper: Crockford base32, grouped, typed
leniently; certificates printed before those codes keep working."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from workflows.documents import verification_codes
from workflows.models import Certificate


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.UNIONFLOW_VERIFY_RATE = 1000
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(make_mayday_case, grant_case):
    return grant_case(make_mayday_case())


def _lookup(client, typed):
    return client.get(reverse("verify_lookup"), {"code": typed})


def test_new_certificates_get_a_code_without_look_alikes(certificate):
    assert certificate.code and len(certificate.code) == 8
    assert not set(certificate.code) & set("ILOU_-abcdefghijklmnopqrstuvwxyz")
    assert certificate.short_code == certificate.code[:4] + "-" + certificate.code[4:]


@pytest.mark.parametrize(
    "variant",
    [
        lambda c: c[:4] + "-" + c[4:],  # as printed
        lambda c: c,  # without the dash
        lambda c: (c[:4] + "-" + c[4:]).lower(),  # lower case
        lambda c: " " + c[:4].lower() + " " + c[4:] + " ",  # spaces
    ],
)
def test_code_as_typed_verifies(client, certificate, variant):
    response = _lookup(client, variant(certificate.code))
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_certificate", args=[certificate.token])


def test_look_alike_letters_read_as_digits(client, certificate):
    # Crockford's decoding rules: O is 0, I and L are 1.
    Certificate.objects.filter(pk=certificate.pk).update(code="10K4M2XD")
    for typed in ("lOk4-m2xd", "IOK4M2XD", "1ok4-M2XD", "L0K4 M2XD"):
        response = _lookup(client, typed)
        assert response.status_code == 302, typed
        assert response["Location"] == reverse("verify_certificate", args=[certificate.token])


def test_wrong_code_finds_nothing(client, certificate):
    other = "0000-0000" if certificate.code != "00000000" else "1111-1111"
    response = _lookup(client, other)
    assert response.status_code == 200
    assert certificate.holder_name not in response.content.decode()


def test_certificate_printed_before_codes_keeps_its_old_code(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(code=None, token="ab_-Cd1lO0xyzTOKENrest")
    certificate.refresh_from_db()
    assert certificate.short_code == "ab_-Cd1l"
    response = _lookup(client, "ab_-Cd1l")
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_certificate", args=[certificate.token])


def test_printed_certificate_shows_the_grouped_code(certificate):
    from io import BytesIO

    from pypdf import PdfReader

    from workflows.documents.rendering import render_certificates_pdf

    text = PdfReader(BytesIO(render_certificates_pdf([certificate]))).pages[0].extract_text()
    assert certificate.short_code in text


@given(st.text(alphabet=verification_codes.ALPHABET, min_size=8, max_size=8))
def test_normalise_reads_back_every_printed_code(code):
    printed = verification_codes.grouped(code)
    assert verification_codes.normalise(printed) == code
    assert verification_codes.normalise(printed.lower()) == code

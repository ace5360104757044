"""The public verification page: valid, revoked, made-up, rate-limited."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import MEDAL_ANSWERS
from workflows.documents.rendering import short_code
from workflows.documents.services import certificate_revoke


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    settings.UNIONFLOW_VERIFY_RATE = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(make_mayday_case, grant_case):
    return grant_case(make_mayday_case(contact_phone="13800138000"))


def test_valid_certificate_shows_what_is_printed_and_nothing_else(client, certificate):
    response = client.get(reverse("verify_certificate", args=[certificate.token]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (certificate.holder_name, certificate.award_title, certificate.issuer, certificate.number):
        assert text in body
    assert 'class="badge valid"' in body
    assert certificate.issued_on.strftime("%Y-%m-%d") in body
    # No other personal data of the holder.
    for private in (MEDAL_ANSWERS["id_number"], "1985", "13800138000", "甲一机械厂", "车间主任"):
        assert private not in body
    assert response["X-Robots-Tag"].startswith("noindex")


def test_revoked_certificate_says_so_with_the_date(client, tree, certificate):
    certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="事迹失实")
    body = client.get(reverse("verify_certificate", args=[certificate.token])).content.decode()
    assert 'class="badge revoked"' in body
    assert certificate.revoked_on.strftime("%Y-%m-%d") in body
    assert 'class="badge valid"' not in body
    # The reason is the district's business, not the public's.
    assert "事迹失实" not in body


def test_made_up_token_is_a_plain_404(client, certificate):
    made_up = client.get(reverse("verify_certificate", args=["x" * 24]))
    near_miss = client.get(reverse("verify_certificate", args=[certificate.token[:-1] + "A"]))
    assert made_up.status_code == near_miss.status_code == 404
    assert certificate.holder_name not in made_up.content.decode()


def test_rate_limit_per_address(client, settings, certificate):
    settings.UNIONFLOW_VERIFY_RATE = 5
    url = reverse("verify_certificate", args=[certificate.token])
    codes = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(5)]
    assert codes == [200] * 5
    # Guessing counts too: a 404 uses up the allowance as well.
    limited = client.get(reverse("verify_certificate", args=["guess"]), REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 429
    # Another address is not affected.
    assert client.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_short_code_leads_to_the_page(client, certificate):
    response = client.get(reverse("verify_lookup"), {"code": short_code(certificate)})
    assert response.status_code == 302
    assert response["Location"] == reverse("verify_certificate", args=[certificate.token])
    wrong = client.get(reverse("verify_lookup"), {"code": "zzzzzzzz"})
    assert wrong.status_code == 200 and certificate.holder_name not in wrong.content.decode()
    # Too short to be a code: never a lookup by prefix.
    assert client.get(reverse("verify_lookup"), {"code": certificate.code[:3]}).status_code == 200

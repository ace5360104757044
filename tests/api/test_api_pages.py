"""The API's pages: the documentation page served from our own files
(CSP-clean), the tokens page (made once, shown once, revoked), and the
API's list answering in a number of queries that does not grow with its
rows."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import valid_id_number
from workflows.api.tokens import do_create_api_token
from workflows.models import ApiScope, ApiToken, AuditEntry


@pytest.mark.django_db
def test_docs_page_is_served_from_our_static_files(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script or style
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    static = [s for s in sources if s.startswith("/static/")]
    assert len(static) >= 4 and not [s for s in sources if s.startswith("http")]
    for path in static:
        assert finders.find(path.removeprefix("/static/")), path
    script = next(s for s in sources if "script" in s and not s.startswith("/static/"))
    init = client.get(script.replace("&amp;", "&"))
    assert init.status_code == 200 and "/api/schema/" in init.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_tokens_page_shows_the_secret_once_and_revokes(tree):
    page = Client()
    page.force_login(tree.chair)
    response = page.post(reverse("api_tokens"), {"name": "门户", "scope": "decide", "account": tree.chair.pk})
    token = ApiToken.objects.get(user=tree.chair)
    secret = re.search(r"uf_[0-9a-f]{8}_[\w-]+", response.content.decode()).group(0)
    assert token.prefix in secret
    assert secret not in page.get(reverse("api_tokens")).content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(reverse("api:me")).status_code == 200
    # Another account's token, or another district's: not offered, refused.
    response = page.post(reverse("api_tokens"), {"name": "x", "scope": "read", "account": tree.chair_b.pk})
    assert response.status_code == 200 and ApiToken.objects.filter(user=tree.chair_b).count() == 0
    assert "门户" in response.content.decode() or "x" in response.content.decode()
    assert page.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(reverse("api:me")).status_code == 401
    assert AuditEntry.objects.filter(action="workflows.api_token.revoked", actor=tree.chair).count() == 1


@pytest.mark.django_db
def test_the_district_administrator_manages_the_districts_tokens(tree):
    admin = Client()
    admin.force_login(tree.admin_d)
    admin.post(reverse("api_tokens"), {"name": "chair-token", "scope": "read", "account": tree.chair.pk})
    token = ApiToken.objects.get(user=tree.chair)
    assert token.created_by == tree.admin_d
    listed = admin.get(reverse("api_tokens")).content.decode()
    assert "chair-token" in listed
    other = Client()
    other.force_login(tree.chair_b)
    assert "chair-token" not in other.get(reverse("api_tokens")).content.decode()
    assert other.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert admin.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == tree.admin_d


@pytest.mark.django_db
def test_case_list_and_tasks_queries_do_not_grow_with_rows(tree, mayday_campaign, make_mayday_case):
    from workflows.models import Quota

    Quota.objects.filter(category="mayday-individual").update(count=20)  # the campaign's only places
    _token, secret = do_create_api_token(account=tree.reviewer_d, name="q", scope=ApiScope.READ,
                                         acting_user=tree.reviewer_d)
    chair_token, chair_secret = do_create_api_token(account=tree.chair, name="q", scope=ApiScope.READ,
                                                    acting_user=tree.chair)
    district, chair = Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), Client(HTTP_AUTHORIZATION=f"Bearer {chair_secret}")

    def counted(client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    cases, tasks = reverse("api:cases", kwargs={"key": "kind_case"}), reverse("api:tasks")
    make_mayday_case(name="甲", id_number=valid_id_number("11010119850301120"))
    counted(district, cases), counted(chair, tasks)  # caches warm
    few = counted(district, cases), counted(chair, tasks)
    for n in range(1, 7):
        make_mayday_case(name=f"乙{n}", id_number=valid_id_number(f"1101011985030113{n}"))
    many = counted(district, cases), counted(chair, tasks)
    assert [count for _q, count in many] == [7, 7] and [count for _q, count in few] == [1, 1]
    assert [q for q, _c in many] == [q for q, _c in few]

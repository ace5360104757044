"""The API tested from its own schema (schemathesis, in-process through the
WSGI app): for a district administrator's token, a grassroots chair's token
and no token, every operation answers inside its schema (no 500, a status
and a body the schema documents) and never returns a case, an organisation
or a token of another branch. Bounded (a few examples per operation) so it
stays a small part of `make test`."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings

from django.core.wsgi import get_wsgi_application
from workflows.api.tokens import do_create_api_token, tokens_visible_to
from workflows.api.views import organisations_visible_to
from workflows.models import ApiScope
from workflows.steps.registry import process_named

# The app as config.wsgi serves it, without its refusal to start on test
# settings (no SECRET_KEY, no ALLOWED_HOSTS): the same middleware and URLs.
# Read at import, before the tests' settings fixtures: as a test client.
# (SecurityMiddleware reads SECURE_SSL_REDIRECT when the app is built.)
with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
    application = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CALLER = {}


def _foreign(data, user):
    """Objects in an answer that `user` may not see: cases (process and id),
    organisations (code and kind), tokens (prefix)."""
    found = []
    if isinstance(data, list):
        for item in data:
            found += _foreign(item, user)
    elif isinstance(data, dict):
        if {"process", "id", "state"} <= data.keys():
            if not process_named(data["process"]).selector(user).filter(pk=data["id"]).exists():
                found.append(f"case {data['process']} #{data['id']}")
        if {"code", "kind", "parent"} <= data.keys():
            if not organisations_visible_to(user).filter(pk=data["id"]).exists():
                found.append(f"organisation #{data['id']}")
        if {"prefix", "scope", "account"} <= data.keys():
            if not tokens_visible_to(user).filter(pk=data["id"]).exists():
                found.append(f"token #{data['id']}")
        for value in data.values():
            found += _foreign(value, user)
    return found


@schemathesis.check
def no_object_of_another_branch(ctx, response, case):
    user = CALLER.get("user")
    if user is None or response.status_code != 200:
        return None
    foreign = _foreign(response.json(), user)
    if foreign:
        raise AssertionError(f"{case.method} {case.formatted_path} shows {foreign[:3]} to {user}")
    return None


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    no_object_of_another_branch,
]


@pytest.fixture
def api_world(tree, make_mayday_case, settings):
    """Cases in both branches, and a decide token for a district
    administrator and for a grassroots chair."""
    from tests.conftest import valid_id_number

    settings.ALLOWED_HOSTS = ["*"]
    settings.UNIONFLOW_API_RATE = 100_000
    settings.UNIONFLOW_VERIFY_RATE = 100_000
    make_mayday_case()
    make_mayday_case(org=tree.union_b1, submitter=tree.submitter_b, name="李四",
                     id_number=valid_id_number("11010119850301125"))
    make_mayday_case(submit=False, name="王五", id_number=valid_id_number("11010119850301126"))
    tokens = {"anonymous": (None, None)}
    for caller, user in (("district", tree.admin_d), ("grassroots", tree.chair)):
        _token, secret = do_create_api_token(account=user, name=caller, scope=ApiScope.DECIDE, acting_user=user)
        tokens[caller] = (user, secret)
    # As Django's test client does: a request must not close the test's
    # connection (its transaction holds the data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield tokens
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    CALLER.clear()
    cache.clear()  # the rate counters of the many calls made


def _call(case, api_world, caller):
    user, secret = api_world[caller]
    CALLER["user"] = user
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)


# A few examples per operation and caller: ~1 minute in all.
BOUNDED = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_api_for_a_district_token(case, api_world):
    _call(case, api_world, "district")


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_api_for_a_grassroots_token(case, api_world):
    _call(case, api_world, "grassroots")


@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_api_without_a_token(case, api_world):
    _call(case, api_world, "anonymous")


@pytest.mark.django_db
def test_the_branch_check_sees_a_foreign_object(tree, make_mayday_case):
    """The check above can fail: another branch's case, organisation and
    token are named; the caller's own are not."""
    from tests.conftest import valid_id_number

    own = make_mayday_case()
    other = make_mayday_case(org=tree.union_b1, submitter=tree.submitter_b, name="李四",
                             id_number=valid_id_number("11010119850301125"))
    token, _secret = do_create_api_token(account=tree.chair_b, name="b", scope=ApiScope.READ,
                                         acting_user=tree.chair_b)
    answer = {"results": [
        {"process": "kind_case", "id": own.pk, "state": "confirming"},
        {"process": "kind_case", "id": other.pk, "state": "confirming"},
        {"id": tree.union_b1.pk, "code": "union-b1", "kind": "grassroots", "parent": tree.town_b.pk},
        {"id": token.pk, "prefix": "uf_x_", "scope": "read", "account": "chair_b1"},
    ]}
    assert _foreign(answer, tree.chair) == [f"case kind_case #{other.pk}", f"organisation #{tree.union_b1.pk}",
                                            f"token #{token.pk}"]
    assert _foreign(answer["results"][:1], tree.chair) == []

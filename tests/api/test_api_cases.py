"""The JSON API over the engine: tokens and their scopes, cases scoped as
the pages, a decision through the API recorded exactly as one taken on the
page, the decision contract (409 stale, confirm for a final decision, 403
for a step that is not yours, 404 for another branch's case). The cases
are May Day's, run as campaign kinds (process `kind_case`)."""


import pytest
from django.test import Client
from django.urls import reverse

from awards.kinds.models import KindCaseState as S
from workflows.api.tokens import do_create_api_token, do_revoke_api_token
from workflows.audit import history_of
from tests.conftest import valid_id_number
from workflows.models import ApiScope, ApiToken, AuditEntry

KEY = "kind_case"


def person(n, name):
    """Another candidate (one active case per ID number)."""
    return {"name": name, "id_number": valid_id_number(f"1101011985030112{n}")}


def bearer(user, scope=ApiScope.READ, acting_user=None):
    _token, secret = do_create_api_token(account=user, name="test", scope=scope, acting_user=acting_user or user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def case_url(case, suffix=""):
    return reverse("api:case" if not suffix else "api:decide", kwargs={"key": KEY, "pk": case.pk})


@pytest.mark.django_db
def test_token_is_stored_hashed_and_audited(tree):
    token, secret = do_create_api_token(account=tree.chair, name="portal", scope=ApiScope.READ,
                                        acting_user=tree.chair)
    assert secret.startswith(f"uf_{token.prefix}_")
    assert secret not in ApiToken.objects.filter(pk=token.pk).values_list("key_hash", flat=True).get()
    assert AuditEntry.objects.filter(action="workflows.api_token.created", object_id=token.pk,
                                     actor=tree.chair).exists()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    me = client.get(reverse("api:me"))
    assert me.status_code == 200
    assert me.json()["username"] == "chair_a1" and me.json()["token_scope"] == "read"
    do_revoke_api_token(token=token, acting_user=tree.chair)
    assert client.get(reverse("api:me")).status_code == 401
    assert AuditEntry.objects.filter(action="workflows.api_token.revoked", object_id=token.pk).exists()


@pytest.mark.django_db
def test_no_token_and_a_wrong_token_are_401(tree):
    assert Client().get(reverse("api:me")).status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer uf_deadbeef_nothing")
    assert wrong.get(reverse("api:me")).status_code == 401


@pytest.mark.django_db
def test_cases_are_scoped_as_the_list_page(tree, make_mayday_case):
    mine = make_mayday_case(name="张三")
    other = make_mayday_case(org=tree.union_b1, submitter=tree.submitter_b, **person(5, "李四"))
    client = bearer(tree.reviewer_a)
    listed = client.get(reverse("api:cases", kwargs={"key": KEY})).json()
    assert [c["id"] for c in listed["results"]] == [mine.pk]
    assert client.get(case_url(other)).status_code == 404
    assert client.get(case_url(mine)).status_code == 200
    # The same filters as the page.
    page = Client()
    page.force_login(tree.reviewer_a)
    for query in ({"q": "张"}, {"q": "nobody"}, {"state": S.CONFIRMING}, {"state": S.GRANTED}):
        api = client.get(reverse("api:cases", kwargs={"key": KEY}), query).json()
        shown = page.get(reverse("kinds:case_list"), query).context["page_obj"].object_list
        assert [c["id"] for c in api["results"]] == [n.pk for n in shown]
    # The district sees both.
    district = bearer(tree.reviewer_d).get(reverse("api:cases", kwargs={"key": KEY})).json()
    assert {c["id"] for c in district["results"]} == {mine.pk, other.pk}


@pytest.mark.django_db
def test_case_detail_has_fields_history_and_masked_id(tree, make_mayday_case):
    case = make_mayday_case(name="张三")
    full_id = case.answers["id_number"]
    data = bearer(tree.chair).get(case_url(case)).json()
    assert data["state"] == S.CONFIRMING and data["version"] == case.version
    labels = {f["label"]: f["value"] for f in data["fields"]}
    assert full_id not in str(data) and any("张三" == v for v in labels.values())
    assert full_id[:3] + "*" * 11 + full_id[-4:] in labels.values()
    assert data["history"][-1]["action"] == "kinds.case.submitted"
    assert data["history"][-1]["action_label"] and data["history"][-1]["to_label"]
    assert {d["code"] for d in data["decisions"]} == {"confirm", "return", "reject"}


def _entry_shape(entry):
    return (entry.action, entry.actor_id, entry.role, entry.organisation_id, entry.from_state, entry.to_state,
            entry.decision, entry.comment, entry.on_behalf_of_id)


@pytest.mark.django_db
def test_decision_through_the_api_is_recorded_as_on_the_page(tree, make_mayday_case):
    on_page, through_api = make_mayday_case(), make_mayday_case(**person(6, "王五"))
    page = Client()
    page.force_login(tree.chair)
    response = page.post(reverse("kinds:case_decide", args=[on_page.pk]),
                         {"decision": "confirm", "version": on_page.version, "comment": "同意"})
    assert response.status_code == 302
    response = bearer(tree.chair, ApiScope.DECIDE).post(
        case_url(through_api, "decide"), {"decision": "confirm", "version": through_api.version, "comment": "同意"},
        content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == S.INTERMEDIATE
    page_entry, api_entry = history_of(on_page).last(), history_of(through_api).last()
    assert _entry_shape(page_entry) == _entry_shape(api_entry)
    assert api_entry.action == "kinds.case.confirmed" and api_entry.actor == tree.chair
    assert response.json()["history"][-1]["id"] == api_entry.pk


@pytest.mark.django_db
def test_read_token_cannot_decide(tree, make_mayday_case):
    case = make_mayday_case()
    response = bearer(tree.chair, ApiScope.READ).post(
        case_url(case, "decide"), {"decision": "confirm", "version": case.version},
        content_type="application/json")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == S.CONFIRMING


@pytest.mark.django_db
def test_decision_contract(tree, make_mayday_case):
    case = make_mayday_case()
    chair = bearer(tree.chair, ApiScope.DECIDE)
    url = case_url(case, "decide")
    # A final decision without confirm: 400 with a message, nothing changes.
    response = chair.post(url, {"decision": "reject", "version": case.version, "comment": "不符合条件"},
                          content_type="application/json")
    assert response.status_code == 400 and "confirm" in response.json()["errors"]
    # Someone whose step it is not: 403; another branch: 404.
    other = bearer(tree.reviewer_a, ApiScope.DECIDE)
    assert other.post(url, {"decision": "confirm", "version": case.version},
                      content_type="application/json").status_code == 403
    assert bearer(tree.chair_b, ApiScope.DECIDE).post(url, {"decision": "confirm", "version": case.version},
                                                      content_type="application/json").status_code == 404
    # A stale version: 409.
    response = chair.post(url, {"decision": "confirm", "version": case.version + 7},
                          content_type="application/json")
    assert response.status_code == 409
    # A comment the rule asks for: 400 with the rule's message.
    response = chair.post(url, {"decision": "return", "version": case.version},
                          content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    case.refresh_from_db()
    assert case.state == S.CONFIRMING
    # Confirmed: taken.
    response = chair.post(url, {"decision": "reject", "version": case.version, "comment": "不符合条件",
                                "confirm": True}, content_type="application/json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == S.REJECTED
    # Again with the version seen before: already handled.
    response = chair.post(url, {"decision": "reject", "version": case.version - 1, "comment": "x",
                                "confirm": True}, content_type="application/json")
    assert response.status_code == 409


@pytest.mark.django_db
def test_tasks_are_the_inbox(tree, make_mayday_case):
    case = make_mayday_case()
    rows = bearer(tree.chair).get(reverse("api:tasks")).json()["results"]
    assert [(r["case"]["id"], r["step"]) for r in rows] == [(case.pk, "confirm")]
    assert bearer(tree.reviewer_a).get(reverse("api:tasks")).json()["results"] == []


@pytest.mark.django_db
def test_tokens_of_the_district_and_their_revocation(tree):
    own_token, _secret = do_create_api_token(account=tree.chair, name="mine", scope=ApiScope.READ,
                                             acting_user=tree.chair)
    admin = Client()
    admin.force_login(tree.admin_d)
    listed = admin.get(reverse("api:tokens")).json()["results"]
    assert [t["id"] for t in listed] == [own_token.pk]
    # Another chair of the district does not see it.
    other = Client()
    other.force_login(tree.chair_b)
    assert other.get(reverse("api:token", args=[own_token.pk])).status_code == 404
    assert other.delete(reverse("api:token", args=[own_token.pk])).status_code == 404
    assert admin.delete(reverse("api:token", args=[own_token.pk])).json()["active"] is False
    entry = AuditEntry.objects.get(action="workflows.api_token.revoked", object_id=own_token.pk)
    assert entry.actor == tree.admin_d


@pytest.mark.django_db
def test_a_read_token_cannot_make_a_decide_token(tree):
    client = bearer(tree.chair, ApiScope.READ)
    response = client.post(reverse("api:tokens"), {"name": "wider", "scope": "decide"},
                           content_type="application/json")
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=tree.chair).count() == 1
    decide = bearer(tree.chair, ApiScope.DECIDE)
    response = decide.post(reverse("api:tokens"), {"name": "narrow", "scope": "read"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["secret"].startswith("uf_")


@pytest.mark.django_db
def test_rate_limit_per_token(tree, settings):
    from django.core.cache import cache

    cache.clear()
    settings.UNIONFLOW_API_RATE = 3
    first, second = bearer(tree.chair), bearer(tree.chair)
    codes = [first.get(reverse("api:me")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert second.get(reverse("api:me")).status_code == 200
    cache.clear()


@pytest.mark.django_db
def test_certificate_check_is_public(tree, make_mayday_case, grant_case):
    certificate = grant_case(make_mayday_case())
    response = Client().get(reverse("api:certificate", args=[certificate.token]))
    assert response.status_code == 200
    assert response.json()["number"] == certificate.number and response.json()["status"] == "valid"
    assert Client().get(reverse("api:certificate", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_processes_are_the_declarations(tree):
    data = bearer(tree.chair).get(reverse("api:process", args=[KEY])).json()
    codes = {s["name"]: {d["code"] for d in s["decisions"]} for s in data["steps"]}
    # Each step says its own decisions (May Day said "approve" at every level).
    assert codes["confirm"] == {"confirm", "return", "reject"}
    assert codes["intermediate_review"] == {"forward", "return", "reject"}
    assert codes["district_review"] == {"approve", "return", "reject"}
    assert codes["signoffs"] == {"agree", "refuse"}
    assert next(s for s in data["steps"] if s["name"] == "notice")["decided_through_api"] is False
    keys = {p["key"] for p in bearer(tree.chair).get(reverse("api:processes")).json()}
    # May Day is no process of its own any more: its cases are kind_case's.
    assert keys == {"modelhome", "cadres", "congress_report", "kind_case"}


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(tree):
    response = bearer(tree.chair).get("/api/v1/nothing/here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")

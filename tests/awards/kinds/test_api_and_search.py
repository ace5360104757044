"""Cases of kinds in the JSON API, the case list's search, who hears of a
case and the coverage page: the API lists through the list page's own function (same rows,
same filters, a branch sees its own), shows a case's answers masked as its
page does and takes a step's decision through the engine's service; the
list finds a case by name, union and public answers (never by a private
one) in a number of queries that does not grow with the rows; the next
step's holders and the union's submitter are told, as in every process;
the coverage page counts each campaign's unions and cases in the branch."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.kinds.models import KindCase, KindCaseState as S
from workflows.api.tokens import do_create_api_token
from workflows.audit import history_of
from workflows.models import ApiScope, Notification
from workflows.steps.decisions import decide
from workflows.steps.progress import CASE_STATE, progress_event

from .conftest import definition
from .generated import answers, every_field

pytestmark = pytest.mark.django_db

LIST = reverse("kinds:case_list")
API_LIST = reverse("api:cases", kwargs={"key": "kind_case"})


def api_case(case):
    return reverse("api:case", kwargs={"key": "kind_case", "pk": case.pk})


def bearer(user, scope=ApiScope.READ):
    _token, secret = do_create_api_token(account=user, name="test", scope=scope, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def generated_kind(tree):
    """A campaign of a kind with every field of the palette: the chair
    confirms, the intermediate union and the district review, a notice."""
    from awards.kinds import services

    from .generated import open_campaign

    version = services.do_create_kind(district=tree.district, code="every-field",
                                      definition=definition(fields=every_field()), actor=tree.admin_d)
    return open_campaign(version, tree.admin_d)


def hand_in(campaign, organisation, submitter, n, name, **overrides):
    from awards.kinds import cases as case_services

    data, files = answers(campaign.offered_versions[0], n, name=name)
    data.update(overrides)
    form = case_services.form_class(campaign.offered_versions[0])(data, files)
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=organisation, name=name, form=form,
                                        actor=submitter, submit=True)


def test_the_api_lists_the_cases_of_the_list_page_scoped_to_the_branch(tree, generated_kind):
    mine = hand_in(generated_kind, tree.union_a1, tree.submitter, 1, "张伟")
    other = hand_in(generated_kind, tree.union_b1, tree.submitter_b, 2, "李娜", deeds="坚持送温暖活动十年。")
    decide(case=mine, actor=tree.chair, decision="confirm")
    # A branch's reviewer: their branch only, as on the page; another
    # branch's case is simply absent.
    client = bearer(tree.reviewer_a)
    listed = client.get(API_LIST).json()
    assert [c["id"] for c in listed["results"]] == [mine.pk]
    assert listed["results"][0]["subject"] == "张伟 · 甲一机械厂工会"
    assert client.get(api_case(other)).status_code == 404
    assert client.get(api_case(mine)).status_code == 200
    # The same rows as the list page for the same filters.
    page = Client()
    for user in (tree.reviewer_a, tree.reviewer_d):
        page.force_login(user)
        api = bearer(user)
        for query in ({}, {"q": "张"}, {"q": "乙一医院"}, {"q": "送温暖"}, {"q": "nobody"},
                      {"state": S.INTERMEDIATE}, {"state": S.CONFIRMING}, {"campaign": generated_kind.pk},
                      {"year": generated_kind.year}):
            shown = page.get(LIST, query).context["page_obj"].object_list
            assert [c["id"] for c in api.get(API_LIST, query).json()["results"]] == [c.pk for c in shown], query
    assert {c["id"] for c in bearer(tree.reviewer_d).get(API_LIST).json()["results"]} == {mine.pk, other.pk}
    # The other branch's reviewer, and someone of no union, see none of A's.
    assert bearer(tree.reviewer_b).get(api_case(mine)).status_code == 404
    assert bearer(tree.outsider).get(API_LIST).json()["count"] == 0


def test_the_api_shows_the_answers_masked_as_the_page_and_the_case_files(tree, generated_kind):
    case = hand_in(generated_kind, tree.union_a1, tree.submitter, 7, "王芳")
    full_id, full_mobile = case.answers["id_number"], case.answers["mobile"]
    for user in (tree.chair, tree.reviewer_d, tree.admin_d):  # the district too: the API never unmasks
        data = bearer(user).get(api_case(case)).json()
        fields = {f["label"]: f["value"] for f in data["fields"]}
        assert fields["申请人或候选人"] == "王芳" and fields["工会"] == "甲一机械厂工会"
        assert fields["姓名"] == "王芳" and fields["主要事迹"].startswith("长期从事工会工作")
        assert fields["申请金额（元）"] == "¥100.00" and fields["人员类别"] == "一线职工"
        assert fields["身份证号"] == full_id[:3] + "*" * 11 + full_id[-4:]
        assert fields["手机号码"] == full_mobile[:3] + "****" + full_mobile[-4:]
        body = str(data)
        assert full_id not in body and full_mobile not in body
    kinds = {d["kind"]: d for d in data["documents"]}
    assert kinds["attachment"]["title"] == "证明材料.pdf"
    assert kinds["application_form"]["page_url"] == reverse("kinds:case_printed", args=[case.pk])
    assert data["history"][-1]["action"] == "kinds.case.submitted"
    # Nobody read the numbers in full: no such entry in the history.
    assert not history_of(case).filter(action="kinds.case.identity_viewed").exists()


def test_a_decision_through_the_api_is_the_pages_decision(tree, generated_kind):
    case = hand_in(generated_kind, tree.union_a1, tree.submitter, 3, "赵强")
    data = bearer(tree.chair).get(api_case(case)).json()
    assert data["step"] == "confirm" and {d["code"] for d in data["decisions"]} == {"confirm", "return", "reject"}
    url = reverse("api:decide", kwargs={"key": "kind_case", "pk": case.pk})
    assert bearer(tree.chair).post(url, {"decision": "confirm", "version": case.version},
                                   content_type="application/json").status_code == 403  # a read token
    assert bearer(tree.reviewer_a, ApiScope.DECIDE).post(
        url, {"decision": "forward", "version": case.version}, content_type="application/json").status_code == 403
    answer = bearer(tree.chair, ApiScope.DECIDE).post(url, {"decision": "confirm", "version": case.version},
                                                      content_type="application/json")
    assert answer.status_code == 200, answer.content
    case.refresh_from_db()
    assert case.state == S.INTERMEDIATE
    entry = history_of(case).last()
    assert entry.action == "kinds.case.confirmed" and entry.actor == tree.chair
    # The revision is the union's own form: the process says so.
    process = bearer(tree.chair).get(reverse("api:process", kwargs={"key": "kind_case"})).json()
    through_api = {s["name"]: s["decided_through_api"] for s in process["steps"]}
    assert through_api["revise"] is False and through_api["notice"] is False
    assert through_api["district_review"] is True and through_api["decision"] is True


def test_the_list_searches_names_unions_and_public_answers_only(client, tree, make_kind, open_campaign):
    from awards.kinds import services

    public = open_campaign(make_kind())  # "deeds" public
    private_fields = [dict(f, public=False) if f["key"] == "deeds" else f for f in every_field()]
    version = services.do_create_kind(district=tree.district, code="private-deeds",
                                      definition=definition(fields=private_fields), actor=tree.admin_d)
    private = open_campaign(version)
    shown = hand_in(public, tree.union_a1, tree.submitter, 1, "陈静", deeds="牵头建成职工书屋。")
    hidden = hand_in(private, tree.union_a1, tree.submitter, 2, "周敏", deeds="家中困难，母亲住院。")
    client.force_login(tree.reviewer_d)

    def found(q):
        return {c.pk for c in client.get(LIST, {"q": q}).context["page_obj"].object_list}

    assert found("陈静") == {shown.pk} and found("周敏") == {hidden.pk}
    assert found("甲一机械") == {shown.pk, hidden.pk}
    assert found("职工书屋") == {shown.pk}
    # A private answer is never searched: the same key kept off the notice
    # by the other kind, an ID number, a mobile number.
    assert found("母亲住院") == set()
    assert found(shown.answers["id_number"][-8:]) == set() and found(shown.answers["mobile"]) == set()


def _many(campaign, tree, count, start):
    """`count` cases under the district's review, written at once (the
    list's cost is the question, not how they got there)."""
    from awards.kinds import cases as case_services
    from workflows.dataforms.definition import stored_answers

    version = campaign.offered_versions[0]
    rows = []
    for n in range(start, start + count):
        form = case_services.form_class(version)(answers(version, n)[0])
        assert form.is_valid(), form.errors
        rows.append(KindCase(campaign=campaign, kind_version=version, organisation=tree.union_a1,
                             name=f"候选人{n}", answers=stored_answers(version.definition["fields"], form.cleaned_data),
                             state=S.DISTRICT, round=1, created_by=tree.submitter))
    KindCase.objects.bulk_create(rows)


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "候选人"}, {"q": "成绩突出", "state": S.DISTRICT}])
def test_the_list_and_the_api_cost_the_same_queries_for_10_and_100_rows(client, tree, generated_kind, params):
    client.force_login(tree.reviewer_d)
    api = bearer(tree.reviewer_d)
    # The page (25 rows a page), its workbook (every row) and the API's list.
    probes = {"page": (client, LIST, params), "workbook": (client, LIST, dict(params, format="xlsx")),
              "api": (api, API_LIST, params)}
    _many(generated_kind, tree, 10, 1)
    for who, url, query in probes.values():
        who.get(url, query)  # warm the per-process caches (content types)
    ten = {name: _queries(*probe) for name, probe in probes.items()}
    _many(generated_kind, tree, 90, 11)
    hundred = {name: _queries(*probe) for name, probe in probes.items()}
    assert hundred == ten
    assert client.get(LIST, params).context["page_obj"].paginator.count == 100
    assert api.get(API_LIST, params).json()["count"] == 100


def test_the_next_steps_holders_and_the_submitter_are_told(tree, generated_kind):
    case = hand_in(generated_kind, tree.union_a1, tree.submitter, 4, "孙丽")

    def told(user, event=CASE_STATE):
        return Notification.objects.filter(user=user, event=event, data__pk=case.pk).exists()

    assert told(tree.chair) and not told(tree.reviewer_a)
    decide(case=case, actor=tree.chair, decision="confirm")
    assert told(tree.reviewer_a) and told(tree.reviewer_a2) and not told(tree.reviewer_b)
    case.refresh_from_db()
    decide(case=case, actor=tree.reviewer_a, decision="return", comment="请补充事迹。")
    from workflows.steps.registry import process_named

    assert told(tree.submitter, progress_event(process_named("kind_case"), S.RETURNED))


def test_the_coverage_page_counts_the_campaigns_cases_in_the_branch(client, tree, generated_kind):
    import io
    import re

    from openpyxl import load_workbook

    first = hand_in(generated_kind, tree.union_a1, tree.submitter, 5, "吴刚")
    hand_in(generated_kind, tree.union_a1, tree.submitter, 6, "郑洁")
    hand_in(generated_kind, tree.union_b1, tree.submitter_b, 8, "冯涛")
    from awards.kinds import cases as case_services

    case_services.do_withdraw_case(case=first, actor=tree.submitter)
    year = generated_kind.year
    client.force_login(tree.reviewer_a)
    page = client.get(reverse("coverage:dashboard"), {"year": year})
    assert page.status_code == 200
    row = page.content.decode().split(generated_kind.title)[1].split("</tr>")[0]
    # Town A reaches two unions; one handed in two cases, one withdrawn.
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</td>")[1:-1]]
    assert cells == ["2", "1", "2", "0", "1", "1"]
    client.force_login(tree.reviewer_d)
    sheet = load_workbook(io.BytesIO(client.get(reverse("coverage:export"), {"year": year}).content))["类别评选活动"]
    assert [c.value for c in list(sheet.iter_rows())[-1]] == [generated_kind.title, 3, 2, 3, 0, 2, 1]
    # Another year: no campaign, no section.
    assert "类别评选活动" not in client.get(reverse("coverage:dashboard"), {"year": year - 1}).content.decode()

"""Campaigns of a kind handing their rules down the tree: the district's
mix rules over the kind's choice and yes/no fields (checked at the final
decision, refused naming the rule), an intermediate union sharing its
places among its grassroots unions (enforced at submission; another
branch's reviewer gets a 404), and a revised round compared field by
field on the case's page (ID numbers masked)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds.models import KindCaseState as S
from tests.awards.kinds.conftest import FIELDS, filled
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.awards.kinds.test_route_steps import _places
from tests.conftest import PDF_BYTES, valid_id_number
from workflows.audit import history_of
from workflows.exceptions import RuleViolation
from workflows.mixrules import rules_of
from workflows.mixrules.services import figures_of, rule_create
from workflows.models import MixRule, Quota
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

MIX_FIELDS = FIELDS + [
    {"key": "gender", "type": "choice", "label": "性别", "required": True,
     "choices": [{"value": "f", "label": "女"}, {"value": "m", "label": "男"}]},
    {"key": "front_line", "type": "yes_no", "label": "一线职工", "required": True},
]


def _case(campaign, tree, n, *, gender="m", front_line="no", organisation=None, submitter=None):
    data = {**filled(campaign.offered_versions[0], n, name=f"候选人{n}"), "gender": gender, "front_line": front_line}
    form = case_services.form_class(campaign.offered_versions[0])(data)
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=organisation or tree.union_a1,
                                        name=f"候选人{n}", form=form, actor=submitter or tree.submitter,
                                        submit=True)


def _add_rule(client, tree, campaign, **fields):
    client.force_login(tree.admin_d)
    return client.post(reverse("kinds:campaign_rules", args=[campaign.pk]), {"action": "add_rule", **fields})


# Mix rules -------------------------------------------------------------------------------

def test_a_grant_breaking_a_yes_no_rule_is_refused_naming_the_rule(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind(steps=(), fields=MIX_FIELDS))
    page = client.get(reverse("kinds:campaign_rules", args=[campaign.pk]))
    assert page.status_code == 302  # not logged in yet: the login page
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:campaign_rules", args=[campaign.pk])).content.decode()
    assert "一线职工" in page and "性别" in page and "主要事迹" not in page  # only choice and yes/no fields
    answer = _add_rule(client, tree, campaign, label="一线职工不少于一半", field="front_line", values=["True"],
                       comparison="min", percent="50")
    assert answer.status_code == 302
    rule = rules_of(campaign).get()
    assert rule.values == [True] and rule.field == "front_line"
    assert [e.action for e in history_of(campaign)].count("kinds.mix_rule.added") == 1

    office, other_office = _case(campaign, tree, 1), _case(campaign, tree, 2)
    worker = _case(campaign, tree, 3, front_line="yes")
    for case in (office, other_office, worker):
        _decide(client, tree.reviewer_d, case, "approve")
    assert {c.state for c in (office, other_office, worker)} == {S.DECIDING}

    # Granting one office worker first still leaves the rule reachable
    # (1 of 2 with the worker granted); the second would not.
    decide(case=office, actor=tree.admin_d, decision="outcome_1")
    office.refresh_from_db()
    assert office.state == S.GRANTED
    client.force_login(tree.admin_d)
    url = reverse("kinds:case_decide", args=[other_office.pk])
    other_office.refresh_from_db()
    answer = client.post(url, {"decision": "outcome_1", "version": other_office.version, "confirmed": "1"})
    assert answer.status_code == 400
    assert "一线职工不少于一半" in answer.content.decode()
    other_office.refresh_from_db()
    assert other_office.state == S.DECIDING
    # Refusing the front-line worker would break it too; granting them keeps it.
    with pytest.raises(RuleViolation, match="一线职工不少于一半"):
        decide(case=worker, actor=tree.admin_d, decision="outcome_2")
    worker.refresh_from_db()
    assert worker.state == S.DECIDING
    decide(case=worker, actor=tree.admin_d, decision="outcome_1")
    figure = figures_of(campaign)[0]
    assert (figure.matching, figure.total, figure.ok) == (1, 2, True)


def test_a_choice_rule_counts_the_answers_and_is_the_district_administrators(client, tree, make_kind,
                                                                             open_campaign):
    campaign = open_campaign(make_kind(steps=(), fields=MIX_FIELDS))
    for user in (tree.reviewer_d, tree.reviewer_a, tree.submitter):
        client.force_login(user)
        assert client.get(reverse("kinds:campaign_rules", args=[campaign.pk])).status_code == 404
    # A value of another field, or none, is refused on the form, what was typed kept.
    answer = _add_rule(client, tree, campaign, label="女性至多三成", field="gender", values=["True"],
                       comparison="max", percent="30")
    assert answer.status_code == 200 and "女性至多三成" in answer.content.decode()
    assert not MixRule.objects.exists()
    with pytest.raises(RuleViolation):
        rule_create(scope=campaign, field="deeds", values=["x"], comparison="min", percent=10, actor=tree.admin_d)
    assert _add_rule(client, tree, campaign, label="女性至多三成", field="gender", values=["f"],
                     comparison="max", percent="30").status_code == 302

    man, woman = _case(campaign, tree, 1), _case(campaign, tree, 2, gender="f")
    for case in (man, woman):
        _decide(client, tree.reviewer_d, case, "approve")
    with pytest.raises(RuleViolation, match="女性至多三成"):
        decide(case=woman, actor=tree.admin_d, decision="outcome_1")
    decide(case=man, actor=tree.admin_d, decision="outcome_1")
    # Removed, the rule no longer holds the decision back.
    rule = rules_of(campaign).get()
    client.force_login(tree.admin_d)
    answer = client.post(reverse("kinds:campaign_rules", args=[campaign.pk]),
                         {"action": "delete_rule", "rule": rule.pk})
    assert answer.status_code == 302 and not rules_of(campaign).exists()
    woman.refresh_from_db()
    decide(case=woman, actor=tree.admin_d, decision="outcome_1")
    woman.refresh_from_db()
    assert woman.state == S.GRANTED


# Sharing places --------------------------------------------------------------------------

def test_an_intermediate_union_shares_its_places_and_a_share_binds(client, tree, make_kind, open_campaign,
                                                                   make_case):
    campaign = open_campaign(make_kind(steps=()))
    code = campaign.offered_versions[0].kind.code
    _places(client, tree, campaign, town_a=3)
    url = reverse("kinds:campaign_share", args=[campaign.pk, tree.town_a.pk])

    client.force_login(tree.reviewer_a)
    detail = client.get(reverse("kinds:campaign_detail", args=[campaign.pk])).content.decode()
    assert url in detail
    page = client.get(url).content.decode()
    assert tree.union_a1.name in page and tree.union_a2.name in page and tree.union_b1.name not in page
    # More than the union holds: refused by name, nothing shared, what was typed kept.
    answer = client.post(url, {"action": "quotas", f"share-{tree.union_a1.pk}-{code}": "2",
                               f"share-{tree.union_a2.pk}-{code}": "2"})
    assert answer.status_code == 200
    assert tree.town_a.name in answer.content.decode() and 'value="2"' in answer.content.decode()
    assert not Quota.objects.filter(parent__isnull=False).exists()

    answer = client.post(url, {"action": "quotas", f"share-{tree.union_a1.pk}-{code}": "1",
                               f"share-{tree.union_a2.pk}-{code}": "2"})
    assert answer.status_code == 302
    shares = dict(Quota.objects.filter(parent__organisation=tree.town_a).values_list("organisation", "count"))
    assert shares == {tree.union_a1.pk: 1, tree.union_a2.pk: 2}
    entry = [e for e in history_of(campaign) if e.action == "kinds.quota.shared"][-1]
    assert entry.actor == tree.reviewer_a and entry.organisation == tree.town_a
    # Places moved from one union to another in one save: the share going
    # down is saved first, so the other's fits, both ways.
    for a1, a2 in (("0", "3"), ("1", "2")):
        answer = client.post(url, {"action": "quotas", f"share-{tree.union_a1.pk}-{code}": a1,
                                   f"share-{tree.union_a2.pk}-{code}": a2})
        assert answer.status_code == 302
        assert Quota.objects.get(organisation=tree.union_a2).count == int(a2)

    assert make_case(campaign).state == S.DISTRICT
    # Union A1's one place is taken: a second case is refused at submission.
    draft = make_case(campaign, submit=False)
    with pytest.raises(RuleViolation, match=tree.union_a1.name):
        case_services.do_submit_case(case=draft, actor=tree.submitter)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    # A share below what the union uses is refused.
    answer = client.post(url, {"action": "quotas", f"share-{tree.union_a1.pk}-{code}": "0",
                               f"share-{tree.union_a2.pk}-{code}": "2"})
    assert answer.status_code == 200
    assert Quota.objects.get(organisation=tree.union_a1).count == 1


def test_another_branch_reviewer_gets_a_404_on_the_share_page(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind(steps=()))
    _places(client, tree, campaign, town_a=1, town_b=1)
    town_a = reverse("kinds:campaign_share", args=[campaign.pk, tree.town_a.pk])
    for user in (tree.reviewer_b, tree.submitter, tree.reviewer_d, tree.outsider):
        client.force_login(user)
        assert client.get(town_a).status_code == 404
        assert client.post(town_a, {"action": "quotas"}).status_code == 404
    client.force_login(tree.reviewer_b)
    assert client.get(reverse("kinds:campaign_share", args=[campaign.pk, tree.town_b.pk])).status_code == 200
    # A grassroots union is no intermediate union whose places are shared.
    assert client.get(reverse("kinds:campaign_share", args=[campaign.pk, tree.union_b1.pk])).status_code == 404
    client.force_login(tree.admin_d)
    assert client.get(town_a).status_code == 200


# Rounds compared field by field ------------------------------------------------------------

def test_a_revised_round_shows_old_and_new_answers_with_id_numbers_masked(client, tree, make_kind, open_campaign,
                                                                         make_case):
    campaign = open_campaign(make_kind(steps=("intermediate_review",)))
    case = make_case(campaign)
    old_id = case.answers["id_number"]
    case = _decide(client, tree.reviewer_a, case, "return", comment="请补充近三年事迹")

    new_id = valid_id_number("11010119900101456")
    post = {f"answers-{k}": v for k, v in filled(campaign.offered_versions[0], 1, name=case.name).items()}
    post.update({"answers-id_number": new_id, "answers-deeds": "长期从事工会工作，2024年获评市级先进，成绩突出。",
                 "answers-proof": SimpleUploadedFile("获奖证书.pdf", PDF_BYTES, content_type="application/pdf"),
                 "version": case.version})
    client.force_login(tree.submitter)
    assert client.post(reverse("kinds:case_revise", args=[case.pk]), post).status_code == 302
    case.refresh_from_db()
    assert case.round == 2 and case.answers["id_number"] == new_id

    client.force_login(tree.reviewer_a)
    page = client.get(case.get_absolute_url()).content.decode()
    changes = page[page.index('class="card diff"'):]
    assert "主要事迹" in changes and "<ins>2024年获评市级先进，</ins>" in changes
    assert "身份证号" in changes
    assert old_id[:3] + "*" * 11 + old_id[-4:] in changes and new_id[:3] + "*" * 11 + new_id[-4:] in changes
    assert old_id not in page and new_id not in page
    assert "获奖证书.pdf" in changes
    assert "手机号码" not in changes  # unchanged answers are not listed

    # The district reads the numbers in full, recorded, in the rounds too.
    client.force_login(tree.reviewer_d)
    full = client.get(case.get_absolute_url() + "?full=1").content.decode()
    changes = full[full.index('class="card diff"'):]
    assert old_id in changes and new_id in changes


# Constant cost ------------------------------------------------------------------------------

def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_share_and_rules_pages_cost_the_same_whatever_their_rows(client, tree, make_kind, open_campaign):
    from tests.conftest import make_org
    from workflows.models import OrgKind

    campaign = open_campaign(make_kind(steps=(), fields=MIX_FIELDS))
    _places(client, tree, campaign, town_a=20)
    share, rules = (reverse("kinds:campaign_share", args=[campaign.pk, tree.town_a.pk]),
                    reverse("kinds:campaign_rules", args=[campaign.pk]))
    rule_create(scope=campaign, field="gender", values=["f"], comparison="min", percent=10, actor=tree.admin_d)
    client.force_login(tree.admin_d)
    client.get(share)  # shows (and so spends) the message the places left
    few = (_queries(client, share), _queries(client, rules))
    for n in range(6):
        make_org(f"甲镇新厂{n}工会", f"union-a-new-{n}", OrgKind.GRASSROOTS, tree.town_a)
    rule_create(scope=campaign, field="front_line", values=["True"], comparison="max", percent=90,
                actor=tree.admin_d)
    rule_create(scope=campaign, field="gender", values=["m"], comparison="max", percent=95, actor=tree.admin_d)
    assert (_queries(client, share), _queries(client, rules)) == few

"""Campaigns of a kind and their cases: opening a campaign (its version in
use from then on), the route a version chooses among the declared steps,
the case's page with masked ID numbers, a kind edited while a campaign
runs, and other branches and districts kept out (404)."""

import datetime

import pytest
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.models import KindCampaign, KindCase, KindCaseState as S
from awards.roles import Role
from tests.awards.kinds.conftest import answers_post, definition
from tests.conftest import make_org, make_user, valid_id_number
from workflows.audit import history_of
from workflows.models import OrgKind
from workflows.steps.decisions import decide

# A deadline in the future whenever the tests run (a past one is refused).
LATER = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()

pytestmark = pytest.mark.django_db


def _decide(client, user, case, decision, comment=""):
    """Take `decision` on the engine's decision page as `user` (a final one
    confirmed on its page); returns the case as it is then."""
    client.force_login(user)
    url = reverse("kinds:case_decide", args=[case.pk])
    case.refresh_from_db()
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    assert f'value="{decision}"' in page.content.decode()
    data = {"decision": decision, "version": case.version, "comment": comment}
    answer = client.post(url, data)
    if answer.status_code == 200 and 'name="confirmed" value="1"' in answer.content.decode():
        answer = client.post(url, {**data, "confirmed": "1"})
    assert answer.status_code == 302, (answer.status_code, answer.content.decode()[:500])
    case.refresh_from_db()
    return case


def test_the_district_opens_a_campaign_after_a_confirmation_naming_the_unions(client, tree, make_kind):
    version = make_kind()
    client.force_login(tree.admin_d)
    form = {"kinds": [version.kind.pk], "year": "2026", "title": "2026年度测试荣誉", "deadline": LATER}
    asked = client.post(reverse("kinds:campaign_open"), form)
    page = asked.content.decode()
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in page
    for union in (tree.union_a1, tree.union_a2, tree.union_b1):
        assert union.name in page
    assert not KindCampaign.objects.exists()
    version.refresh_from_db()
    assert not version.in_use

    opened = client.post(reverse("kinds:campaign_open"), {**form, "confirmed": "1"})
    campaign = KindCampaign.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse("kinds:campaign_detail", args=[campaign.pk])
    assert campaign.offered_versions == [version] and campaign.district == tree.district and campaign.year == 2026
    version.refresh_from_db()
    assert version.in_use
    [entry] = history_of(campaign)
    assert entry.action == "kinds.campaign.opened" and entry.actor == tree.admin_d
    assert entry.data["version"] == 1 and entry.organisation == tree.district


def test_only_the_district_administrator_opens_a_campaign(client, tree, make_kind):
    version = make_kind()
    for user in (tree.reviewer_d, tree.submitter, tree.outsider):
        client.force_login(user)
        assert client.get(reverse("kinds:campaign_open")).status_code == 404
    other = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    other_admin = make_user("admin_other", (other, Role.DISTRICT_ADMIN))
    client.force_login(other_admin)
    # Another district's kind is not among the choices.
    answer = client.post(reverse("kinds:campaign_open"), {"kinds": [version.kind.pk], "year": "2026", "title": "x",
                                                          "deadline": LATER, "confirmed": "1"})
    assert answer.status_code == 200 and not KindCampaign.objects.exists()


def test_a_kind_edited_while_a_campaign_runs_makes_a_new_version_and_the_cases_keep_theirs(
        client, tree, make_kind, open_campaign, make_case):
    version = make_kind(steps=("confirm",))
    campaign = open_campaign(version)
    running = make_case(campaign)
    assert running.state == S.CONFIRMING and running.kind_version == version

    # The district adds a field and the intermediate union's review.
    changed = definition(steps=("confirm", "intermediate_review"))
    changed["fields"].append({"key": "post", "type": "text", "label": "工会职务", "required": True})
    newer = services.do_revise_kind(kind=version.kind, definition=changed, actor=tree.admin_d)
    assert newer.number == 2 and newer.pk != version.pk
    version.refresh_from_db()
    assert "post" not in [f["key"] for f in version.definition["fields"]]
    assert [e.action for e in history_of(version.kind)][-1] == "kinds.kind.versioned"

    # The running campaign's form is still the old one: no 工会职务.
    client.force_login(tree.submitter)
    form_page = client.get(reverse("kinds:case_new", args=[campaign.pk])).content.decode()
    assert "主要事迹" in form_page and "工会职务" not in form_page
    later = make_case(campaign)
    assert later.kind_version == version

    # And its route: the chair's confirmation goes straight to the district
    # (the old version has no intermediate review).
    case = _decide(client, tree.chair, running, "confirm")
    assert case.state == S.DISTRICT
    page = client.get(case.get_absolute_url()).content.decode()
    assert "v1" in page

    # A campaign opened now follows the new version, with its new step and field.
    campaign_2 = open_campaign(newer, year=2027)
    client.force_login(tree.submitter)
    assert "工会职务" in client.get(reverse("kinds:case_new", args=[campaign_2.pk])).content.decode()


def test_the_honour_route_end_to_end_through_the_pages(client, tree, make_kind, open_campaign):
    version = make_kind(steps=("confirm", "intermediate_review"))
    campaign = open_campaign(version)
    client.force_login(tree.submitter)
    post = {**answers_post("李四"), "case-organisation": tree.union_a1.pk, "action": "submit"}
    handed = client.post(reverse("kinds:case_new", args=[campaign.pk]), post)
    case = KindCase.objects.get()
    assert handed.status_code == 302 and handed["Location"] == case.get_absolute_url()
    assert case.state == S.CONFIRMING and case.name == "李四" and case.answers["deeds"].startswith("长期")
    assert case.kind_version == version
    # The chair finds the step in the inbox, and the district's reviewer does not yet.
    client.force_login(tree.chair)
    assert "李四" in client.get(reverse("inbox")).content.decode()
    client.force_login(tree.reviewer_d)
    assert "李四" not in client.get(reverse("inbox")).content.decode()

    assert _decide(client, tree.chair, case, "confirm").state == S.INTERMEDIATE
    assert _decide(client, tree.reviewer_a, case, "forward").state == S.DISTRICT
    assert _decide(client, tree.reviewer_d, case, "approve").state == S.DECIDING
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:case_decide", args=[case.pk])).content.decode()
    assert "授予" in page and "不予授予" in page  # the version's outcomes, named on the panel
    case = _decide(client, tree.admin_d, case, "outcome_1")
    assert case.state == S.GRANTED and case.outcome == "granted"
    actions = [e.action for e in history_of(case)]
    assert actions == ["kinds.case.saved", "kinds.case.submitted", "kinds.case.confirmed", "kinds.case.forwarded",
                       "kinds.case.approved", "kinds.case.granted"]
    client.force_login(tree.submitter)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "授予" in page and "v1" in page


def test_a_negative_outcome_does_not_grant(tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=()))
    case = make_case(campaign)
    assert case.state == S.DISTRICT  # no chair, no intermediate review: straight to the district
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    decide(case=case, actor=tree.admin_d, decision="outcome_2")
    case.refresh_from_db()
    assert case.state == S.NOT_GRANTED and case.outcome == "refused"


def test_the_notice_publishes_the_public_fields_only_and_its_passing_leads_to_the_decision(
        client, tree, make_kind, open_campaign, make_case):
    from workflows.models import NoticeEntry
    from workflows.notices.services import close_notice

    campaign = open_campaign(make_kind(steps=("notice",)))
    case = make_case(campaign)
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE
    client.force_login(tree.reviewer_d)  # not the administrator: no notice
    assert client.post(reverse("kinds:campaign_notice", args=[campaign.pk]), {"confirmed": "1"}).status_code == 404
    client.force_login(tree.admin_d)
    assert "kinds/campaigns/%d/notice/" % campaign.pk in client.get(
        reverse("kinds:campaign_detail", args=[campaign.pk])).content.decode()
    published = client.post(reverse("kinds:campaign_notice", args=[campaign.pk]), {"confirmed": "1"})
    assert published.status_code == 302
    case.refresh_from_db()
    assert case.state == S.IN_NOTICE
    entry = NoticeEntry.objects.get()
    assert entry.published["name"] == case.name and entry.published["主要事迹"].startswith("长期")
    assert case.answers["id_number"] not in str(entry.published) and "13800138000" not in str(entry.published)
    page = client.get(reverse("notice_detail", args=[entry.notice_id])).content.decode()
    assert case.name in page and case.answers["id_number"] not in page
    close_notice(notice=entry.notice, today=entry.notice.closes_on + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == S.DECIDING
    # A second press finds nothing to publish.
    client.post(reverse("kinds:campaign_notice", args=[campaign.pk]), {"confirmed": "1"})
    assert NoticeEntry.objects.count() == 1


def test_a_union_directly_under_the_district_skips_the_intermediate_review(
        tree, make_kind, open_campaign, make_case):
    direct = make_org("直属单位工会", "direct", OrgKind.GRASSROOTS, tree.district)
    submitter = make_user("submitter_direct", (direct, Role.SUBMITTER))
    make_user("chair_direct", (direct, Role.CHAIR))
    campaign = open_campaign(make_kind(steps=("intermediate_review",)))
    assert make_case(campaign, organisation=direct, submitter=submitter).state == S.DISTRICT
    assert make_case(campaign).state == S.INTERMEDIATE


def test_the_aid_route_always_asks_the_chair_and_has_no_notice(tree, make_kind, open_campaign, make_case):
    version = make_kind(template="aid", steps=())
    assert version.definition["route"]["steps"] == ["confirm", "district_review", "decision"]
    case = make_case(open_campaign(version))
    assert case.state == S.CONFIRMING
    decide(case=case, actor=tree.chair, decision="confirm")
    case.refresh_from_db()
    assert case.state == S.DISTRICT
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    decide(case=case, actor=tree.admin_d, decision="outcome_1")
    case.refresh_from_db()
    assert case.state == S.GRANTED


def test_id_numbers_are_masked_but_for_the_district_whose_full_view_is_recorded(
        client, tree, make_kind, open_campaign, make_case):
    case = make_case(open_campaign(make_kind()))
    full = case.answers["id_number"]
    client.force_login(tree.chair)
    for query in ("", "?full=1"):
        page = client.get(case.get_absolute_url() + query).content.decode()
        assert full not in page and "13800138000" not in page and full[-4:] in page
    assert "kinds.case.identity_viewed" not in [e.action for e in history_of(case)]
    decide(case=case, actor=tree.chair, decision="confirm")
    decide(case=case, actor=tree.reviewer_a, decision="forward")
    client.force_login(tree.reviewer_d)
    assert full not in client.get(case.get_absolute_url()).content.decode()
    assert full in client.get(case.get_absolute_url() + "?full=1").content.decode()
    [entry] = [e for e in history_of(case) if e.action == "kinds.case.identity_viewed"]
    assert entry.actor == tree.reviewer_d and entry.organisation == tree.district


def test_other_branches_and_districts_get_404(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind())
    case = make_case(campaign)
    draft = make_case(campaign, submit=False)
    other = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    other_union = make_org("邻区工会", "other-union", OrgKind.GRASSROOTS, other)
    strangers = [make_user("admin_other", (other, Role.DISTRICT_ADMIN)),
                 make_user("reviewer_other", (other, Role.REVIEWER)),
                 make_user("submitter_other", (other_union, Role.SUBMITTER)), tree.outsider]
    urls = [case.get_absolute_url(), reverse("kinds:case_decide", args=[case.pk]),
            reverse("kinds:campaign_detail", args=[campaign.pk]), reverse("kinds:case_new", args=[campaign.pk]),
            reverse("case_decide", kwargs={"process_key": "kind_case", "pk": case.pk})]
    for user in strangers:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(reverse("kinds:case_submit", args=[draft.pk])).status_code == 404
        listed = client.get(reverse("kinds:case_list")).content.decode()
        assert case.name not in listed
    # Another branch of the same district: neither the case nor its step.
    client.force_login(tree.reviewer_b)
    assert client.get(case.get_absolute_url()).status_code == 404
    # A draft is its union's own: the district does not see it yet.
    client.force_login(tree.reviewer_d)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(case.get_absolute_url()).status_code == 200
    client.force_login(tree.submitter)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert case.name in client.get(reverse("kinds:case_list")).content.decode()


def test_a_case_is_not_handed_in_after_the_deadline(client, tree, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind())
    draft = make_case(KindCampaign.objects.get(pk=campaign.pk), submit=False)
    # A deadline is opened in the future only: this one has passed since.
    KindCampaign.objects.filter(pk=campaign.pk).update(deadline=case_services.end_of_day(datetime.date(2020, 12, 31)))
    client.force_login(tree.submitter)
    client.post(reverse("kinds:case_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


def test_a_bad_application_saves_nothing(client, tree, make_kind, open_campaign):
    campaign = open_campaign(make_kind())
    client.force_login(tree.submitter)
    post = {**answers_post(), "case-organisation": tree.union_a1.pk, "answers-id_number": "110101198503010001",
            "action": "submit"}
    answer = client.post(reverse("kinds:case_new", args=[campaign.pk]), post)
    assert answer.status_code == 200 and not KindCase.objects.exists()
    # A union that is not the submitter's own is no choice.
    post = {**answers_post(), "case-organisation": tree.union_b1.pk, "action": "submit"}
    assert client.post(reverse("kinds:case_new", args=[campaign.pk]), post).status_code == 200
    assert not KindCase.objects.exists()
    assert case_services.outcome_of(KindCase(kind_version=campaign.offered_versions[0]), "outcome_9") is None
    assert valid_id_number  # imported for the form data's check digit


def test_the_case_list_costs_the_same_whatever_its_rows(client, tree, make_kind, open_campaign, make_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = open_campaign(make_kind())
    client.force_login(tree.reviewer_d)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("kinds:case_list")).status_code == 200
        return len(queries)

    make_case(campaign)
    client.get(reverse("kinds:case_list"))  # caches warmed
    few = cost()
    for _ in range(6):
        make_case(campaign)
    assert cost() == few

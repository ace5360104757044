"""A campaign offering several kinds (as May Day offers its three awards):
opened with a confirmation naming every kind, a case handed in under the
kind the applicant chose (and on its version), places and mix rules per
kind and across them, one notice listing every kind, the approved list
grouped by kind then union, each certificate from its own version; and
the migration that made every campaign's one version its one offer."""

import datetime
import importlib
import io
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import load_workbook

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.endings import certificates_of
from awards.kinds.models import CampaignOffer, KindCampaign, KindCase, KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.roles import Role
from tests.awards.kinds.conftest import FIELDS, answers_post, definition, hand_in
from tests.awards.kinds.test_endings import CERTIFICATE
from tests.awards.kinds.test_endings import pdf_text
from tests.conftest import make_org, make_user
from workflows.exceptions import RuleViolation
from workflows.mixrules import rules_of
from workflows.mixrules.services import figures_of, rule_create
from workflows.models import OrgKind
from workflows.steps.decisions import decide

# A deadline in the future whenever the tests run (a past one is refused).
LATER = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()

pytestmark = pytest.mark.django_db

GENDER = {"key": "gender", "type": "choice", "label": "性别", "required": True, "public": True,
          "choices": [{"value": "f", "label": "女"}, {"value": "m", "label": "男"}]}
TEAM = {"key": "members", "type": "number", "label": "班组人数", "required": True, "public": True, "min": 1}


def _kinds(tree, *, steps=(), ending_b=None):
    """奖状 (to units, a certificate of its own) and 奖章 (to individuals, its
    own certificate and an extra public field), both with a gender field."""
    a = definition(title="五一劳动奖状", steps=steps, fields=[*FIELDS, GENDER])
    a["ends_in"] = {"certificate": {**CERTIFICATE, "title": "五一劳动奖状", "number_format": "JZ{year}-{seq:03d}"},
                    "approved_list": True, "payment_list": False}
    b = definition(title="五一劳动奖章", steps=steps, fields=[*FIELDS, dict(GENDER, label="性别（个人）"), TEAM])
    b["ends_in"] = ending_b or {"certificate": {**CERTIFICATE, "title": "五一劳动奖章",
                                                "number_format": "JC{year}-{seq:03d}"},
                                "approved_list": True, "payment_list": False}
    if steps:
        b["route"]["notice_days"] = 7
    return (services.do_create_kind(district=tree.district, code="award-unit", definition=a, actor=tree.admin_d),
            services.do_create_kind(district=tree.district, code="award-medal", definition=b, actor=tree.admin_d))


def _open(tree, *versions):
    import datetime

    return case_services.do_open_campaign(versions=versions, year=2026, title="2026年度五一劳动奖评选",
                                          deadline=datetime.date.today() + datetime.timedelta(days=30),
                                          actor=tree.admin_d)


def _case(campaign, version, tree, n, *, gender="m", organisation=None, submitter=None):
    case = hand_in(campaign, organisation=organisation or tree.union_a1, submitter=submitter or tree.submitter,
                   n=n, version=version, submit=False)
    case.answers["gender"] = gender
    case.save(update_fields=["answers"])
    case_services.do_submit_case(case=case, actor=submitter or tree.submitter)
    case.refresh_from_db()
    return case


def _grant(tree, case):
    case = decide(case=case, actor=tree.reviewer_d, decision="approve")
    return decide(case=case, actor=tree.admin_d, decision="outcome_1")


# Opening -----------------------------------------------------------------------------------------

def test_the_district_opens_a_campaign_of_two_kinds_after_a_confirmation_naming_both(client, tree):
    unit, medal = _kinds(tree)
    client.force_login(tree.admin_d)
    form = {"kinds": [unit.kind.pk, medal.kind.pk], "year": "2026", "title": "2026年度五一劳动奖评选",
            "deadline": LATER}
    page = client.post(reverse("kinds:campaign_open"), form).content.decode()
    assert 'name="confirmed" value="1"' in page
    assert "五一劳动奖状 v1" in page and "五一劳动奖章 v1" in page
    assert tree.union_b1.name in page and not KindCampaign.objects.exists()
    # The confirmation carries both kinds on.
    assert page.count('name="kinds"') == 2
    answer = client.post(reverse("kinds:campaign_open"), {**form, "confirmed": "1"})
    campaign = KindCampaign.objects.get()
    assert answer.status_code == 302
    assert campaign.offered_versions == [medal, unit]  # in the kinds' order (their codes)
    assert list(CampaignOffer.objects.filter(campaign=campaign).values_list("position", flat=True)) == [0, 1]
    unit.refresh_from_db(), medal.refresh_from_db()
    assert unit.in_use and medal.in_use


def test_opening_with_no_kind_or_another_districts_kind_is_refused_keeping_what_was_typed(client, tree):
    unit, _medal = _kinds(tree)
    other = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    foreign = services.do_create_kind(district=other, code="foreign", definition=definition(title="邻区荣誉"),
                                      actor=make_user("admin_other", (other, Role.DISTRICT_ADMIN)))
    client.force_login(tree.admin_d)
    typed = {"year": "2026", "title": "我的评选标题", "deadline": LATER, "confirmed": "1"}
    page = client.post(reverse("kinds:campaign_open"), typed).content.decode()
    assert "请至少选择一个" in page and "我的评选标题" in page
    page = client.post(reverse("kinds:campaign_open"),
                       {**typed, "kinds": [unit.kind.pk, foreign.kind.pk]}).content.decode()
    assert "只能选择本区的评选类别" in page and "我的评选标题" in page
    assert re.search(rf'name="kinds" value="{unit.kind.pk}"[^>]* checked', page)  # the choice kept
    assert not KindCampaign.objects.exists()
    # The service refuses the same, and a kind twice.
    with pytest.raises(RuleViolation):
        _open(tree, unit, foreign)
    with pytest.raises(RuleViolation):
        _open(tree)
    with pytest.raises(RuleViolation):
        _open(tree, unit, unit)


# Applying ----------------------------------------------------------------------------------------

def test_the_applicant_chooses_the_kind_and_the_case_takes_its_version(client, tree):
    unit, medal = _kinds(tree)
    campaign = _open(tree, unit, medal)
    lone = services.do_create_kind(district=tree.district, code="lone", definition=definition(title="单独"),
                                   actor=tree.admin_d)
    client.force_login(tree.submitter)
    url = reverse("kinds:case_new", args=[campaign.pk])
    choice = client.get(url).content.decode()
    assert "?kind=award-unit" in choice and "?kind=award-medal" in choice and 'name="answers-name"' not in choice
    assert client.get(f"{url}?kind=lone").status_code == 404  # the district's, but not offered here
    assert client.get(f"{url}?kind=nothing").status_code == 404
    form = client.get(f"{url}?kind=award-medal").content.decode()
    assert "五一劳动奖章 v1" in form and 'name="answers-members"' in form
    post = {**answers_post("张三", 1), "case-organisation": tree.union_a1.pk, "answers-gender": "f",
            "answers-members": "12", "action": "save"}
    answer = client.post(f"{url}?kind=award-medal", post)
    case = KindCase.objects.get()
    assert answer.status_code == 302 and case.kind_version == medal and case.answers["members"] == 12
    post.pop("answers-members")
    client.post(f"{url}?kind=award-unit", {**post, "case-name": "李四", "answers-name": "李四"})
    assert KindCase.objects.get(name="李四").kind_version == unit
    # The service refuses a version the campaign does not offer.
    with pytest.raises(RuleViolation):
        hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, version=lone)
    # The campaign's page counts per kind and links each kind's form.
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f"{url}?kind=award-unit" in page and f"{url}?kind=award-medal" in page
    # A campaign of one kind goes straight to its form.
    single = _open(tree, lone)
    assert 'name="answers-name"' in client.get(reverse("kinds:case_new", args=[single.pk])).content.decode()


def test_the_campaign_page_counts_the_cases_per_kind_and_state(client, tree):
    unit, medal = _kinds(tree)
    campaign = _open(tree, unit, medal)
    _case(campaign, unit, tree, 1)
    _case(campaign, medal, tree, 2)
    _case(campaign, medal, tree, 3)
    hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=4, version=medal, submit=False)
    client.force_login(tree.admin_d)
    page = client.get(campaign.get_absolute_url()).content.decode()
    rows = page.split('<table class="responsive kinds-offered">')[1].split("</table>")[0].split("<tr>")[2:]
    assert "五一劳动奖状" in rows[0] and ">1<" in rows[0]
    # The draft is its union's own: the district does not count it.
    assert "五一劳动奖章" in rows[1] and ">2<" in rows[1]


# Places and mix rules ----------------------------------------------------------------------------

def _district_page(client, tree, name):
    """A two-kind campaign and its page `name` as the district's administrator sees it."""
    unit, medal = _kinds(tree)
    campaign = _open(tree, unit, medal)
    client.force_login(tree.admin_d)
    url = reverse(name, args=[campaign.pk])
    return unit, medal, campaign, url, client.get(url).content.decode()


def test_places_are_set_and_counted_per_kind(client, tree):
    unit, medal, campaign, url, page = _district_page(client, tree, "kinds:campaign_quotas")
    assert "五一劳动奖状" in page and "五一劳动奖章" in page
    post = {"action": "quotas"}
    for town in (tree.town_a, tree.town_b):
        post[f"quota-{town.pk}-award-unit"] = "1"
        post[f"quota-{town.pk}-award-medal"] = "2"
    assert client.post(url, post).status_code == 302
    assert _case(campaign, unit, tree, 1).state == S.DISTRICT
    with pytest.raises(RuleViolation, match="五一劳动奖状"):
        _case(campaign, unit, tree, 2)
    # The other kind still has its places.
    assert _case(campaign, medal, tree, 3).state == S.DISTRICT
    assert _case(campaign, medal, tree, 4).state == S.DISTRICT
    with pytest.raises(RuleViolation, match="五一劳动奖章"):
        _case(campaign, medal, tree, 5)


def test_a_mix_rule_counts_across_both_kinds_or_among_one(client, tree):
    unit, medal, campaign, url, page = _district_page(client, tree, "kinds:campaign_rules")
    # One field per key, labelled once; the kind to count among, only this campaign's.
    assert page.count(">性别<") == 1 and "性别（个人）" not in page
    assert 'name="applies_to_kind_version__kind__code"' in page and 'value="award-medal"' in page
    answer = client.post(url, {"action": "add_rule", "label": "奖章中女性不少于五成", "field": "gender",
                               "values": ["f"], "comparison": "min", "percent": "50",
                               "applies_to_kind_version__kind__code": "award-medal"})
    assert answer.status_code == 302
    assert rules_of(campaign).get().applies_to == {"kind_version__kind__code": "award-medal"}
    rule_create(scope=campaign, field="gender", values=["f"], comparison="min", percent="50",
                actor=tree.admin_d, label="女性不少于五成")
    _grant(tree, _case(campaign, unit, tree, 1, gender="f"))
    _grant(tree, _case(campaign, medal, tree, 2, gender="f"))
    _grant(tree, _case(campaign, medal, tree, 3, gender="m"))
    _grant(tree, _case(campaign, unit, tree, 4, gender="m"))
    among, across = figures_of(campaign)
    assert (across.matching, across.total) == (2, 4)  # both kinds counted
    assert (among.matching, among.total) == (1, 2)  # the medals only
    # One more man of the units, nothing else in play: the rule across both kinds breaks.
    fifth = decide(case=_case(campaign, unit, tree, 5, gender="m"), actor=tree.reviewer_d, decision="approve")
    with pytest.raises(RuleViolation, match="女性不少于五成"):
        decide(case=fifth, actor=tree.admin_d, decision="outcome_1")


# Notice and endings ------------------------------------------------------------------------------

def test_one_notice_lists_the_cases_of_both_kinds_for_the_longer_days(tree):
    unit, medal = _kinds(tree, steps=("notice",))
    campaign = _open(tree, unit, medal)
    cases = [decide(case=_case(campaign, version, tree, n), actor=tree.reviewer_d, decision="approve")
             for n, version in ((1, medal), (2, unit))]
    assert {case.state for case in cases} == {S.AWAITING_NOTICE}
    notice = do_publish_notice(campaign=campaign, actor=tree.admin_d)
    assert "评选类别" in notice.published_fields and "班组人数" in notice.published_fields
    entries = list(notice.entries.order_by("position"))
    # In the campaign's order of kinds: the unit's first.
    assert [e.published["评选类别"] for e in entries] == ["五一劳动奖状", "五一劳动奖章"]
    assert "班组人数" in entries[1].published and "班组人数" not in entries[0].published
    from workflows.notices.services import window_end

    assert notice.closes_on == window_end(notice.opened_on, 7)


def test_the_approved_list_groups_by_kind_then_union_and_each_certificate_follows_its_version(client, tree):
    unit, medal = _kinds(tree)
    campaign = _open(tree, unit, medal)
    granted = [
        _grant(tree, _case(campaign, medal, tree, 1, organisation=tree.union_b1, submitter=tree.submitter_b)),
        _grant(tree, _case(campaign, unit, tree, 2)),
        _grant(tree, _case(campaign, medal, tree, 3)),
    ]
    [medal_cert] = certificates_of(granted[0])
    [unit_cert] = certificates_of(granted[1])
    assert medal_cert.award_title == "五一劳动奖章" and medal_cert.number.startswith("JC2026-")
    assert unit_cert.award_title == "五一劳动奖状" and unit_cert.number.startswith("JZ2026-")

    client.force_login(tree.admin_d)
    book = load_workbook(io.BytesIO(client.get(reverse("kinds:approved_list", args=[campaign.pk, "xlsx"])).content))
    assert book.sheetnames == ["五一劳动奖状", "五一劳动奖章"]
    sheet = [[c.value for c in row if c.value is not None] for row in book["五一劳动奖章"].iter_rows()]
    names = [row[2] for row in sheet if row and row[0] in (1, 2)]
    bands = [row[0] for row in sheet if len(row) == 1 and row[0] in (tree.union_a1.name, tree.union_b1.name)]
    # By union in the tree's order (甲 before 乙), numbered across the kind.
    assert bands == [tree.union_a1.name, tree.union_b1.name] and names == ["候选人3", "候选人1"]
    assert "班组人数" in [c.value for c in book["五一劳动奖章"][2]] + [c.value for c in book["五一劳动奖章"][3]]
    assert "候选人2" in [c.value for row in book["五一劳动奖状"].iter_rows() for c in row]
    _reader, text = pdf_text(client.get(reverse("kinds:approved_list", args=[campaign.pk, "pdf"])).content)
    flat = "".join(text.split())
    assert flat.index("五一劳动奖状") < flat.index("候选人2") < flat.index("五一劳动奖章") \
        < flat.index("候选人3") < flat.index("候选人1")


def test_the_payment_list_covers_only_the_kinds_that_have_one(client, tree):
    amount = {"key": "amount", "type": "money", "label": "资助金额", "required": True}
    unit, _medal = _kinds(tree)
    aid_definition = definition(title="困难职工帮扶", steps=(), fields=[*FIELDS, GENDER, amount])
    aid_definition["ends_in"] = {"certificate": None, "approved_list": False, "payment_list": True}
    aid = services.do_create_kind(district=tree.district, code="aid", definition=aid_definition,
                                  actor=tree.admin_d)
    campaign = _open(tree, unit, aid)
    _grant(tree, _case(campaign, unit, tree, 1))
    paid = _case(campaign, aid, tree, 2)
    paid.answers["amount"] = "800.00"
    paid.save(update_fields=["answers"])
    _grant(tree, paid)
    client.force_login(tree.admin_d)
    book = load_workbook(io.BytesIO(client.get(reverse("kinds:payment_list", args=[campaign.pk, "xlsx"])).content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert len(book.sheetnames) == 1 and "候选人2" in cells and "候选人1" not in cells
    approved = load_workbook(io.BytesIO(client.get(reverse("kinds:approved_list",
                                                           args=[campaign.pk, "xlsx"])).content))
    cells = [c.value for row in approved.active.iter_rows() for c in row]
    assert "候选人1" in cells and "候选人2" not in cells


def test_the_campaign_pages_take_as_many_queries_for_two_kinds_as_for_one(client, tree):
    from django.test.utils import CaptureQueriesContext

    unit, medal = _kinds(tree)
    lone = services.do_create_kind(district=tree.district, code="lone", actor=tree.admin_d,
                                   definition=definition(title="单独", fields=[*FIELDS, GENDER]))
    one, two = _open(tree, lone), _open(tree, unit, medal)
    client.force_login(tree.admin_d)

    def queries(campaign, name):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, args=[campaign.pk])).status_code == 200
        return len(ctx)

    assert queries(two, "kinds:campaign_detail") <= queries(one, "kinds:campaign_detail")
    # The engine's "counted among" choice reads the quotas' labels (once),
    # and its quota rows once per category: per kind offered, never per union.
    assert queries(two, "kinds:campaign_rules") <= queries(one, "kinds:campaign_rules") + 1
    assert queries(two, "kinds:campaign_quotas") <= queries(one, "kinds:campaign_quotas") + 2
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("kinds:campaign_list"))
    few = len(ctx)
    _open(tree, unit, medal), _open(tree, lone)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("kinds:campaign_list"))
    assert len(ctx) == few


# The migration -----------------------------------------------------------------------------------

CARRYING = importlib.import_module("awards.kinds.migrations.0008_carry_campaign_version_to_offers")
AFTER_CARRY = [("kinds", "0008_carry_campaign_version_to_offers")]


def _old_apps():
    """The historical apps before `version` was removed, with its column
    added back in the test's transaction (rolled back after it)."""
    apps = MigrationExecutor(connection).loader.project_state(AFTER_CARRY).apps
    OldCampaign = apps.get_model("kinds", "KindCampaign")
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []
    deferred = connection.vendor == "postgresql"
    if deferred:
        # PostgreSQL alters no table with foreign-key checks still pending
        # from the rows this test wrote: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    editor.add_field(OldCampaign, OldCampaign._meta.get_field("version"))
    if deferred:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return apps


def test_the_migration_carries_each_campaigns_version_as_its_one_offer_and_back(tree):
    unit, medal = _kinds(tree)
    first, second = _open(tree, unit), _open(tree, medal, unit)
    apps = _old_apps()
    OldCampaign, OldOffer = apps.get_model("kinds", "KindCampaign"), apps.get_model("kinds", "CampaignOffer")

    # Backwards: each campaign's first offer into `version`, the offers gone.
    CARRYING.backwards(apps, None)
    assert dict(OldCampaign.objects.values_list("pk", "version_id")) == {first.pk: unit.pk, second.pk: medal.pk}
    assert not OldOffer.objects.exists()

    # Forwards: the version back as the one offer at position 0.
    CARRYING.forwards(apps, None)
    assert sorted(OldOffer.objects.values_list("campaign_id", "version_id", "position")) == sorted(
        [(first.pk, unit.pk, 0), (second.pk, medal.pk, 0)])
    # Run again, nothing is carried twice.
    CARRYING.forwards(apps, None)
    assert OldOffer.objects.count() == 2

"""The demo reads true: the May Day award runs as campaign kinds. The 2024
campaign (`mayday-2024`, offering the three kinds made from the starters)
holds cases in every state, its cases took the route they show
(enterprise candidates through the departments' sign-offs before the
notice), units and teams carry deeds of a unit or a team, the 2024 history
is dated in 2024, and its granted cases hold certificates of its series;
what is under way now is in this year's campaign (a live notice with an
objection pending, a case awaiting the departments, one awaiting its
notice). Seeding twice changes nothing."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from awards.kinds.models import CampaignKind, KindCampaign, KindCase
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from workflows.audit import history_of
from workflows.documents.case_certificates import certificate_of
from workflows.models import (Certificate, Membership, NoticeEntry, Objection, ObjectionStatus, Organisation, OrgKind,
                              PublicNotice, SignoffRequest, SignoffStatus, case_q)

ENTERPRISE = {"state_owned", "collective", "non_public"}


def test_seeded_demo_reads_true(db, settings):
    """Seeded once (the demo takes a while): each part checked in turn,
    then seeded again."""
    settings.DEVELOPMENT = True  # seed_demo refuses a production configuration
    call_command("seed_demo", stdout=io.StringIO())
    the_may_day_demo_is_a_campaign_of_the_three_kinds_from_the_starters()
    the_2024_campaign_holds_cases_in_every_state_with_certificates()
    this_years_campaign_holds_what_is_under_way()
    seeding_twice_changes_nothing()


def the_may_day_demo_is_a_campaign_of_the_three_kinds_from_the_starters():
    old = KindCampaign.objects.get(code="mayday-2024")
    assert old.year == 2024 and not old.is_open
    assert [v.kind.code for v in old.offered_versions] == ["mayday-unit", "mayday-individual", "mayday-team"]
    assert [v.title for v in old.offered_versions] == ["五一劳动奖状", "五一劳动奖章", "工人先锋号"]
    # One version of each kind: this year's campaign offers the same ones.
    current = KindCampaign.objects.get(code=f"mayday-{timezone.localdate().year}")
    assert current.is_open
    assert [v.pk for v in current.offered_versions] == [v.pk for v in old.offered_versions]
    assert CampaignKind.objects.filter(code__startswith="mayday-").count() == 3
    # The departments are the district's organisations, named with the
    # sectors they sign off in the unit's and the individual's routes.
    departments = Organisation.objects.filter(kind=OrgKind.DEPARTMENT, parent__code="district")
    assert departments.count() == 6
    for department in departments:
        assert Membership.objects.filter(organisation=department, role=Role.DEPARTMENT).exists()
    signoffs = {e["department"]: e["sectors"] for e in old.offered_versions[1].definition["route"]["signoffs"]}
    assert signoffs["dept-audit"] == ["state_owned"] and set(signoffs["dept-tax"]) == ENTERPRISE
    assert set(signoffs) == set(departments.values_list("code", flat=True))
    assert "signoffs" not in old.offered_versions[2].definition["route"]["steps"]


def the_2024_campaign_holds_cases_in_every_state_with_certificates():
    old = KindCase.objects.filter(campaign__code="mayday-2024")
    states = dict.fromkeys(old.values_list("state", flat=True))
    assert set(states) == {S.DRAFT, S.CONFIRMING, S.INTERMEDIATE, S.DISTRICT, S.DECIDING, S.GRANTED, S.NOT_GRANTED,
                           S.RETURNED, S.REJECTED, S.WITHDRAWN}
    granted = old.filter(state=S.GRANTED)
    assert granted.count() == 13
    assert {c.kind_version.kind.code for c in granted} == {"mayday-unit", "mayday-individual", "mayday-team"}
    # Each granted case holds its certificate, numbered in the campaign's series.
    certificates = Certificate.objects.filter(series="mayday-2024")
    assert certificates.count() == 13
    assert {certificate_of(case).pk for case in granted} == set(certificates.values_list("pk", flat=True))
    assert {c.issued_on for c in certificates} == {datetime.date(2024, 4, 16)}
    assert certificates.order_by("sequence").first().number == "示工奖〔2024〕第0001号"
    # The refusal and the rejection say why.
    refused = history_of(old.get(state=S.NOT_GRANTED)).get(action="kinds.case.not_granted")
    assert refused.comment == "名额有限，本次不予授予"
    assert history_of(old.get(state=S.RETURNED)).get(action="kinds.case.returned").comment == "请补充职代会讨论记录"

    routed = 0
    for case in granted:
        actions = [e.action for e in history_of(case)]
        assert actions.index("kinds.case.published") < actions.index("kinds.case.notice_passed") \
            < actions.index("kinds.case.granted")
        if case.organisation.sector in ENTERPRISE and case.kind_version.kind.code != "mayday-team":
            assert "kinds.case.signoff_agreed" in actions, actions
            last_signoff = max(i for i, a in enumerate(actions) if a == "kinds.case.signoff_agreed")
            assert last_signoff < actions.index("kinds.case.published")
            assert not SignoffRequest.objects.filter(case_q(case)).exclude(status=SignoffStatus.AGREED).exists()
            routed += 1
        else:
            assert "kinds.case.signoff_agreed" not in actions
    assert routed >= 5

    for case in old.exclude(kind_version__kind__code="mayday-individual"):
        assert "该同志" not in case.answers["deeds"] and "该同志" not in case.answers["summary"]
    assert all(c.answers["deeds"].startswith("该同志") for c in old.filter(kind_version__kind__code="mayday-individual"))

    start, end = datetime.date(2024, 3, 1), datetime.date(2024, 4, 30)
    for case in old:
        for entry in history_of(case):
            assert start <= timezone.localtime(entry.created).date() <= end, (entry.action, entry.created)
    notice = PublicNotice.objects.get(title__contains="2024年度示范区五一劳动奖")
    assert notice.opened_on == datetime.date(2024, 4, 8)
    assert notice.entries.count() == 16


def this_years_campaign_holds_what_is_under_way():
    current = KindCase.objects.filter(campaign__code=f"mayday-{timezone.localdate().year}")
    assert sorted(current.values_list("state", flat=True)) == sorted(
        [S.IN_NOTICE, S.IN_NOTICE, S.SIGNOFFS, S.AWAITING_NOTICE])
    # The live notice: one objection pending, lodged against 韩梅.
    objection = Objection.objects.get()
    entry = NoticeEntry.objects.get(pk=objection.entry_id)
    assert entry.published["name"] == "韩梅" and objection.status == ObjectionStatus.OPEN
    assert entry.notice.opened_on <= timezone.localdate() <= entry.notice.closes_on
    assert sorted(e.published["name"] for e in entry.notice.entries.all()) == ["丁磊", "韩梅"]
    # 邓超 (a non-public enterprise's worker): the tax bureau has agreed,
    # the other departments of every enterprise still owe their answer.
    waiting = current.get(state=S.SIGNOFFS)
    assert waiting.name == "邓超"
    answers = dict(SignoffRequest.objects.filter(case_q(waiting)).values_list("department__code", "status"))
    assert answers == {"dept-tax": SignoffStatus.AGREED, "dept-labour": SignoffStatus.PENDING,
                       "dept-safety": SignoffStatus.PENDING, "dept-env": SignoffStatus.PENDING}
    assert current.get(state=S.AWAITING_NOTICE).kind_version.kind.code == "mayday-team"


def seeding_twice_changes_nothing():
    from evaluations.congress.models import CoverageYear

    # The demo shows a closed year of coverage: 2024, frozen as seeded.
    closed = CoverageYear.objects.get(year=2024)
    assert {t["code"] for t in closed.snapshot["targets"]} >= {"congress_non_public", "reports_on_time"}

    def counts():
        return (KindCase.objects.count(), KindCampaign.objects.count(), CampaignKind.objects.count(),
                Certificate.objects.count(), PublicNotice.objects.count(), Objection.objects.count(),
                SignoffRequest.objects.count(), Organisation.objects.count(), Membership.objects.count())

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert CoverageYear.objects.count() == 1
    assert counts() == before

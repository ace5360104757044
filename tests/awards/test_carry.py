"""The carry of May Day's data onto campaign kinds, as the release runs it
(awards migrations 0012 → awards/legacy/carry.py, then 0013 drops May
Day's tables; docs/mayday-as-kinds.md §2). Once per module, on SQLite and
PostgreSQL: the database goes back to awards 0011 (May Day's tables made
again), May Day's rows are written with the historical models as May Day
left them, and the migrations run forward. The tests read what the carry
made (in their own transaction: what they change is rolled back)."""

import datetime

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from awards.kinds.models import KindCampaign, KindCase, KindCaseRound
from awards.roles import Role
from tests.conftest import make_org, make_user, valid_id_number
from workflows.models import Attachment, Certificate, MixRule, NoticeEntry, OrgKind, PublicNotice, Quota, Sector
from workflows.models import SignoffRequest

BEFORE, AFTER = "0011_delete_own_quota", "0013_delete_mayday_models"
FORMAT = "涪工奖〔{year}〕第{seq:04d}号"
NOW = timezone.now()
FLOW = "awards/mayday.flows.MayDayFlow"


def _migrate(awards):
    """Every app at its latest migration, awards at `awards`; the apps of that state."""
    executor = MigrationExecutor(connection)
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "awards"] + [("awards", awards)]
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


class Old:
    """The ids of what May Day left."""


def _may_day(apps):
    """A district's May Day data as its code wrote it: two campaigns, and
    nominations in several states with their files, certificate, sign-offs,
    notice, places, mix rules and the process of a running one."""
    o = Old()
    ct = {name: apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="awards", model=name)[0] for name in ("campaign", "nomination")}
    Campaign, Nomination = apps.get_model("awards", "Campaign"), apps.get_model("awards", "Nomination")
    Revision, Department = apps.get_model("awards", "NominationRevision"), apps.get_model("awards", "Department")
    model = lambda name: apps.get_model("workflows", name)  # noqa: E731

    o.district = make_org("示范区总工会", "district", OrgKind.DISTRICT)
    o.town_a = make_org("甲镇工会", "town-a", OrgKind.INTERMEDIATE, o.district)
    o.union_a1 = make_org("甲一机械厂工会", "union-a1", OrgKind.GRASSROOTS, o.town_a, Sector.NON_PUBLIC)
    o.union_a2 = make_org("甲二纺织厂工会", "union-a2", OrgKind.GRASSROOTS, o.town_a, Sector.STATE_OWNED)
    o.submitter = make_user("submitter_a1", (o.union_a1, Role.SUBMITTER), (o.union_a2, Role.SUBMITTER))
    o.chair = make_user("chair_a1", (o.union_a1, Role.CHAIR))
    o.reviewer_a = make_user("reviewer_a", (o.town_a, Role.REVIEWER))
    o.admin_d = make_user("admin_d", (o.district, Role.DISTRICT_ADMIN))
    departments = {}
    for function, name, active in [("tax", "税务局", True), ("audit", "审计局", True), ("safety", "应急管理局", False)]:
        org = make_org(name, f"dept-{function}", OrgKind.DEPARTMENT, o.district)
        Department.objects.create(organisation_id=org.pk, function=function, state_owned_only=function == "audit",
                                  active=active)
        departments[function] = org

    settings = dict(year=2024, district_id=o.district.pk, submission_deadline=NOW + datetime.timedelta(days=30),
                    certificate_number_format=FORMAT, notice_days=7, created_by_id=o.admin_d.pk,
                    step_deadline_days={"review_district": 8})
    o.campaign = Campaign.objects.create(code="mayday-2024", title="2024年度五一劳动奖评选", last_certificate_seq=1,
                                         **settings)
    o.other = Campaign.objects.create(code="mayday-2024b", title="2024年度五一劳动奖评选（补充）", **settings)

    person = dict(gender="M", ethnicity="汉族", birth_date=datetime.date(1985, 3, 1), political_status="cpc",
                  education="bachelor", work_unit="甲一机械厂", post="车间主任", job_title="高级技师",
                  candidate_category="front_line", deeds="在生产一线攻坚克难。", summary="技术革新能手。",
                  congress_discussed_on=datetime.date(2024, 3, 1), sector="non_public", contact_phone="023-12345678")

    def nominate(name, state, n, kind="individual", round=1, org=None, **more):
        fields = dict(person, id_number=valid_id_number(f"11010119850301{n:03d}")) if kind == "individual" else dict(
            legal_representative="王五", headcount=120, work_unit="甲二纺织厂", deeds="安全生产十年无事故。",
            summary="先进集体。", congress_discussed_on=datetime.date(2024, 3, 1), sector="state_owned")
        return Nomination.objects.create(
            campaign=o.campaign, kind=kind, state=state, nominee_name=name, organisation_id=(org or o.union_a1).pk,
            created_by_id=o.submitter.pk, round=round, version=3,
            submitted_at=None if state == "draft" else NOW, **{**fields, **more})

    o.draft = nominate("草稿", "draft", 1)
    o.awarded = nominate("张三", "awarded", 2, decided_at=NOW)
    o.returned = nominate("李四", "returned", 3, round=2, deeds="第二轮事迹")
    o.signoff = nominate("甲二纺织厂", "signoff", 4, kind="unit", org=o.union_a2)
    o.notice = nominate("王五", "in_notice", 5, gender="F")
    o.confirmed = nominate("赵六", "confirmed", 6)

    for number, deeds in ((1, "第一轮事迹"), (2, "第二轮事迹")):
        Revision.objects.create(nomination=o.returned, round=number, created_by_id=o.submitter.pk,
                                snapshot={"nominee_name": "李四", "deeds": deeds, "attachments": [[91, "事迹.pdf"]]})
    o.attachment = model("Attachment").objects.create(
        case_type=ct["nomination"], case_id=o.returned.pk, file="attachments/2024/05/a.pdf",
        original_name="事迹.pdf", content_type="application/pdf", size=1234, legacy_id=77,
        uploaded_by_id=o.submitter.pk)
    o.certificate = model("Certificate").objects.create(
        series="mayday-2024", sequence=1, number="涪工奖〔2024〕第0001号", holder_name="张三",
        award_title="2024年度五一劳动奖章", issuer="示范区总工会", issued_on=datetime.date(2024, 4, 28),
        layout="individual", content_type=ct["nomination"], object_id=o.awarded.pk,
        owner_organisation_id=o.union_a1.pk, code="ABCD2345")
    for department, status in (("tax", "agreed"), ("audit", "pending")):
        model("SignoffRequest").objects.create(content_type=ct["nomination"], object_id=o.signoff.pk, round=1,
                                               department_id=departments[department].pk, status=status)
    o.public_notice = model("PublicNotice").objects.create(
        title="关于2024年度五一劳动奖评选推荐对象的公示", scope_type=ct["campaign"], scope_id=o.campaign.pk,
        handler="mayday", opened_on=datetime.date.today(), window_days=7,
        closes_on=datetime.date.today() + datetime.timedelta(days=9),
        published_fields=["kind", "nominee_name", "gender", "organisation", "work_unit"],
        opened_by_id=o.admin_d.pk, organisation_id=o.district.pk)
    model("NoticeEntry").objects.create(
        notice=o.public_notice, content_type=ct["nomination"], object_id=o.notice.pk,
        published={"kind": "individual", "nominee_name": "王五", "gender": "F", "organisation": "甲一机械厂工会",
                   "work_unit": "甲一机械厂"})
    Quota = model("Quota")
    o.quota = Quota.objects.create(scope_type=ct["campaign"], scope_id=o.campaign.pk, organisation_id=o.town_a.pk,
                                   category="individual", count=3)
    Quota.objects.create(scope_type=ct["campaign"], scope_id=o.campaign.pk, organisation_id=o.union_a1.pk,
                         category="individual", count=1, parent=o.quota)
    Quota.objects.create(scope_type=ct["campaign"], scope_id=o.campaign.pk, organisation_id=o.town_a.pk,
                         category="team", count=1)
    MixRule = model("MixRule")
    MixRule.objects.create(scope_type=ct["campaign"], scope_id=o.campaign.pk, field="candidate_category",
                           values=["front_line"], comparison="gte", percent=60, applies_to={"kind": "individual"})
    MixRule.objects.create(scope_type=ct["campaign"], scope_id=o.campaign.pk, field="kind", values=["team"],
                           comparison="lte", percent=30, position=1)

    # The process of the confirmed nomination: the intermediate union's review open.
    Process, Task = apps.get_model("viewflow", "Process"), apps.get_model("viewflow", "Task")
    process = Process.objects.create(flow_class=FLOW, status="NEW", artifact_content_type=ct["nomination"],
                                     artifact_object_id=o.confirmed.pk)
    for node, kind, status, owner in (("start", "START", "DONE", None), ("confirm", "HUMAN", "DONE", None),
                                      ("review_intermediate", "HUMAN", "NEW", o.town_a)):
        Task.objects.create(process=process, flow_task=f"{FLOW}.{node}", flow_task_type=kind, status=status,
                            artifact_content_type=ct["nomination"], artifact_object_id=o.confirmed.pk,
                            owner_permission=owner and f"role:{Role.REVIEWER}",
                            owner_permission_obj_pk=owner and owner.pk)
    return o


@pytest.fixture(scope="module")
def old(django_db_setup, django_db_blocker):
    """May Day's data, carried: its ids before the carry. The data is
    committed for the module's tests; after them the database holds again
    what it held before (the rows its migrations wrote: report kinds…)."""
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        try:
            made = _may_day(_migrate(BEFORE))
            _migrate(AFTER)
        except BaseException:
            # Whatever was written goes (May Day's tables too), so that the
            # database is left at its latest migrations and empty.
            tables = connection.introspection.table_names()
            with connection.cursor() as cursor:
                for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                    cursor.execute(sql)
            _migrate(AFTER)
            _restore(before)
            raise
        yield made
        _restore(before)


def _restore(serialized):
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(serialized)
    # The flush set PostgreSQL's sequences back to 1 and the rows came back
    # with their ids: the sequences move past them, so that later tests'
    # rows never meet a restored id.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), django_apps.get_models()):
            cursor.execute(sql)
    ContentType.objects.clear_cache()


def _case(nomination):
    return KindCase.objects.get(carried_from_type=ContentType.objects.get_by_natural_key("awards", "nomination"),
                                carried_from_id=nomination.pk)


def _kind_campaign_type():
    return ContentType.objects.get_for_model(KindCampaign)


@pytest.mark.django_db
def test_may_days_tables_are_gone(old):
    tables = connection.introspection.table_names()
    assert not [t for t in tables if t.startswith("awards_")]


@pytest.mark.django_db
def test_a_campaign_becomes_a_campaign_of_kinds_on_its_own_settings(old):
    new = KindCampaign.objects.get(code="mayday-2024")
    assert (new.year, new.title, new.district_id, new.deadline) == (
        2024, "2024年度五一劳动奖评选", old.district.pk, old.campaign.submission_deadline)
    versions = new.offered_versions
    assert [v.kind.code for v in versions] == ["mayday-unit", "mayday-individual", "mayday-team"]
    assert all(v.in_use for v in versions)
    individual = versions[1].definition
    assert individual["ends_in"]["certificate"]["number_format"] == FORMAT
    assert individual["route"]["notice_days"] == 7 and individual["route"]["deadline_days"]["district_review"] == 8
    # The active departments sign off units and individuals; teams are not signed off.
    assert {e["department"]: e["sectors"] for e in individual["route"]["signoffs"]} == {
        "dept-tax": ["state_owned", "collective", "non_public"], "dept-audit": ["state_owned"]}
    assert "signoffs" in individual["route"]["steps"] and "signoffs" not in versions[2].definition["route"]["steps"]
    # The other campaign, on the same settings, shares the versions.
    other = KindCampaign.objects.get(code="mayday-2024b")
    assert [v.pk for v in other.offered_versions] == [v.pk for v in versions]


@pytest.mark.django_db
def test_nominations_become_cases_in_the_kinds_states_with_their_answers(old):
    states = {n.nominee_name: _case(n).state for n in (old.draft, old.awarded, old.returned, old.signoff, old.notice,
                                                        old.confirmed)}
    assert states == {"草稿": "draft", "张三": "granted", "李四": "returned", "甲二纺织厂": "signoffs",
                      "王五": "in_notice", "赵六": "intermediate"}
    case = _case(old.awarded)
    assert (case.outcome, case.version, case.round, case.kind_version.kind.code) == (
        "granted", 3, 1, "mayday-individual")
    assert (case.answers["birth_date"], case.answers["gender"], case.answers["work_unit"]) == (
        "1985-03-01", "M", "甲一机械厂")
    assert case.answers["id_number"] == old.awarded.id_number and case.submitted_at == old.awarded.submitted_at
    unit = _case(old.signoff)
    assert unit.kind_version.kind.code == "mayday-unit" and unit.answers["legal_representative"] == "王五"
    assert KindCase.objects.filter(carried_from_id__isnull=False).count() == 6


@pytest.mark.django_db
def test_earlier_rounds_and_files_follow_the_case(old):
    case = _case(old.returned)
    assert case.round == 2 and case.answers["deeds"] == "第二轮事迹"
    first = KindCaseRound.objects.get(case=case)
    assert (first.round, first.answers["deeds"]) == (1, "第一轮事迹")
    attachment = Attachment.objects.get(pk=old.attachment.pk)
    assert (attachment.case_type.model, attachment.case_id) == ("kindcase", case.pk)
    assert (attachment.kind, attachment.legacy_id, attachment.file.name) == (
        "attachments", 77, "attachments/2024/05/a.pdf")


@pytest.mark.django_db
def test_a_granted_case_keeps_its_certificate_as_printed(old):
    from workflows.documents.case_certificates import certificate_of

    certificate = certificate_of(_case(old.awarded))
    assert certificate.pk == old.certificate.pk
    assert (certificate.series, certificate.sequence, certificate.number, certificate.token, certificate.code) == (
        "mayday-2024", 1, "涪工奖〔2024〕第0001号", old.certificate.token, "ABCD2345")
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_sign_offs_notices_places_and_mix_rules_follow(old):
    scope = _kind_campaign_type()
    new = KindCampaign.objects.get(code="mayday-2024")
    unit = _case(old.signoff)
    asked = SignoffRequest.objects.filter(object_id=unit.pk, content_type__model="kindcase")
    assert sorted(asked.values_list("department__code", "status")) == [("dept-audit", "pending"),
                                                                       ("dept-tax", "agreed")]
    notice = PublicNotice.objects.get(pk=old.public_notice.pk)
    assert (notice.handler, notice.scope_type, notice.scope_id) == ("kinds", scope, new.pk)
    entry = NoticeEntry.objects.get(notice=notice)
    assert entry.object_id == _case(old.notice).pk
    # What the public reads: the same Chinese as before.
    rows = dict(entry.published_rows())
    assert rows["奖项"] == "五一劳动奖章" and rows["性别"] == "女" and rows["工作单位"] == "甲一机械厂"
    places = Quota.objects.filter(scope_type=scope, scope_id=new.pk)
    assert sorted(places.values_list("organisation__code", "category", "count")) == [
        ("town-a", "mayday-individual", 3), ("town-a", "mayday-team", 1), ("union-a1", "mayday-individual", 1)]
    assert places.get(organisation__code="union-a1").parent_id == old.quota.pk
    rules = list(MixRule.objects.filter(scope_type=scope, scope_id=new.pk).order_by("position", "pk"))
    assert rules[0].applies_to == {"kind_version__kind__code": "mayday-individual"}
    assert (rules[1].field, rules[1].values) == ("kind_version__kind__code", ["mayday-team"])


@pytest.mark.django_db
def test_a_running_case_finishes_its_step_on_the_kinds_route(old):
    from workflows.steps.decisions import decide
    from workflows.steps.tasks import open_step_names

    case = _case(old.confirmed)
    assert open_step_names(case) == ["intermediate_review"]
    decide(decision="forward", case=case, actor=old.reviewer_a)
    case.refresh_from_db()
    assert case.state == "district" and open_step_names(case) == ["district_review"]

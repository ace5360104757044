"""The carry of May Day's data onto campaign kinds (awards/legacy/carry.py,
docs/mayday-as-kinds.md §2), run here on the live models against data the
May Day services made: every row carried, nothing lost, and running cases
finish on the kinds' route."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from awards.kinds.models import KindCampaign, KindCase, KindCaseRound
from awards.legacy import carry
from awards.mayday import services
from tests.conftest import PDF_BYTES
from workflows.audit import history_of
from workflows.documents.case_certificates import certificate_of
from workflows.models import Attachment, Certificate, Quota
from workflows.steps.decisions import decide
from workflows.steps.tasks import open_step_names


def _carry():
    return carry.forward(apps, log=lambda message: None)


@pytest.fixture
def with_file(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from workflows.attachments.services import attach, from_upload

    def add(nomination):
        attach(nomination, [from_upload(SimpleUploadedFile("纪要.pdf", PDF_BYTES, "application/pdf"))],
               actor=tree.submitter)
    return add


def test_a_campaign_becomes_a_campaign_of_kinds_on_its_own_settings(tree, campaign, make_nomination):
    make_nomination()
    _carry()
    new = KindCampaign.objects.get(code=campaign.code)
    assert (new.year, new.title, new.district) == (campaign.year, campaign.title, campaign.district)
    assert new.deadline == campaign.submission_deadline
    versions = new.offered_versions
    assert [v.kind.code for v in versions] == ["mayday-unit", "mayday-individual", "mayday-team"]
    certificate = versions[1].definition["ends_in"]["certificate"]
    assert certificate["number_format"] == "涪工奖〔{year}〕第{seq:04d}号"
    assert all(v.in_use for v in versions)
    # The places follow, by the kind's code.
    scope = ContentType.objects.get_for_model(KindCampaign)
    assert set(Quota.objects.filter(scope_type=scope, scope_id=new.pk).values_list("category", flat=True)) == {
        "mayday-unit", "mayday-individual", "mayday-team"}


def test_two_campaigns_with_the_same_settings_share_a_version(tree, campaign):
    from awards.mayday.models import Campaign

    Campaign.objects.create(code="mayday-other", year=2025, title="2025年度", district=tree.district,
                            submission_deadline=campaign.submission_deadline,
                            certificate_number_format=campaign.certificate_number_format)
    _carry()
    first, second = KindCampaign.objects.order_by("pk")
    assert [v.pk for v in first.offered_versions] == [v.pk for v in second.offered_versions]


def test_nominations_become_cases_with_their_answers_state_and_files(tree, make_nomination, with_file):
    draft = make_nomination(submit=False, nominee_name="草稿")
    handed_in = make_nomination(nominee_name="李四", id_number="110101198503011234")
    with_file(handed_in)
    mapping = _carry()
    case = KindCase.objects.get(pk=mapping[handed_in.pk])
    assert (case.name, case.state, case.version, case.round) == ("李四", "confirming", handed_in.version, 1)
    assert case.answers["id_number"] == "110101198503011234"
    assert case.answers["birth_date"] == "1985-03-01"
    assert case.answers["gender"] == "M"
    assert case.carried_from_id == handed_in.pk
    assert case.submitted_at == handed_in.submitted_at
    files = Attachment.objects.filter(case_type=ContentType.objects.get_for_model(KindCase), case_id=case.pk)
    assert [(f.original_name, f.kind) for f in files] == [("纪要.pdf", "attachments")]
    assert KindCase.objects.get(pk=mapping[draft.pk]).state == "draft"


def test_earlier_rounds_are_kept(tree, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="return", case=n, actor=tree.reviewer_a, comment="补充事迹")
    n.deeds = "修改后的事迹"
    services.nomination_save_draft(nomination=n, actor=tree.submitter)
    decide(decision="resubmit", case=n, actor=tree.submitter)
    case = KindCase.objects.get(pk=_carry()[n.pk])
    assert case.round == 2 and case.answers["deeds"] == "修改后的事迹"
    first = KindCaseRound.objects.get(case=case)
    assert first.round == 1 and first.answers["deeds"] != "修改后的事迹"


def test_a_running_case_finishes_on_the_kinds_route_with_its_past(tree, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    case = KindCase.objects.get(pk=_carry()[n.pk])
    assert case.state == "intermediate" and open_step_names(case) == ["intermediate_review"]
    decide(decision="forward", case=case, actor=tree.reviewer_a)
    case.refresh_from_db()
    assert case.state == "district"
    actions = [entry.action for entry in history_of(case)]
    assert actions[0] == "awards.nomination.created"
    assert actions.index("awards.nomination.submitted") < actions.index("awards.nomination.confirmed")
    assert actions[-1] == "kinds.case.forwarded"


def test_an_awarded_nomination_keeps_its_certificate(tree, make_nomination, award,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        cert = award(make_nomination())
    case = KindCase.objects.get(pk=_carry()[cert.object_id])
    assert case.state == "granted" and case.outcome == "granted"
    carried = certificate_of(case)
    assert (carried.pk, carried.series, carried.number, carried.token) == (
        cert.pk, cert.series, cert.number, cert.token)


def test_a_campaign_whose_counter_disagrees_is_not_carried(tree, campaign, make_nomination):
    from awards.mayday.models import Campaign

    make_nomination()
    Campaign.objects.filter(pk=campaign.pk).update(last_certificate_seq=3)
    with pytest.raises(carry.CarryError, match=campaign.code):
        _carry()
    assert not KindCase.objects.exists() and not Certificate.objects.exists()


def _to_notice(tree, nomination):
    decide(decision="approve", case=nomination, actor=tree.chair)
    decide(decision="approve", case=nomination, actor=tree.reviewer_a)
    decide(decision="approve", case=nomination, actor=tree.reviewer_d)


def test_a_case_on_an_open_notice_passes_it_after_the_carry(tree, campaign, make_nomination):
    import datetime

    from awards.mayday.notices import campaign_notice_open
    from workflows.models import NoticeEntry
    from workflows.notices.services import close_notice

    n = make_nomination(sector="institution")
    _to_notice(tree, n)
    notice = campaign_notice_open(campaign=campaign, actor=tree.admin_d, nominations=[n])
    case = KindCase.objects.get(pk=_carry()[n.pk])
    notice.refresh_from_db()
    assert notice.handler == "kinds"
    entry = NoticeEntry.objects.get(notice=notice)
    # What the public reads: the same Chinese labels and words as before.
    rows = dict(entry.published_rows())
    assert rows["奖项"] == "五一劳动奖章" and rows["性别"] == "男" and rows["工作单位"] == "甲一机械厂"
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == "deciding" and open_step_names(case) == ["decision"]


def test_sign_off_departments_become_the_route_of_units_and_individuals(tree, departments, campaign):
    _carry()
    versions = {v.kind.code: v for v in KindCampaign.objects.get(code=campaign.code).offered_versions}
    individual = versions["mayday-individual"].definition["route"]
    assert "signoffs" in individual["steps"]
    assert {e["department"]: e["sectors"] for e in individual["signoffs"]} == {
        "dept-tax": ["state_owned", "collective", "non_public"],
        "dept-safety": ["state_owned", "collective", "non_public"],
        "dept-audit": ["state_owned"]}
    assert "signoffs" not in versions["mayday-team"].definition["route"]["steps"]


def test_mix_rules_count_by_the_kinds_code(tree, campaign):
    from workflows.models import MixRule

    MixRule.objects.create(scope=campaign, field="candidate_category", values=["front_line"], comparison="gte",
                           percent=60, applies_to={"kind": "individual"})
    MixRule.objects.create(scope=campaign, field="kind", values=["team"], comparison="lte", percent=30)
    _carry()
    new = KindCampaign.objects.get(code=campaign.code)
    scope = ContentType.objects.get_for_model(KindCampaign)
    rules = list(MixRule.objects.filter(scope_type=scope, scope_id=new.pk).order_by("pk"))
    assert rules[0].applies_to == {"kind_version__kind__code": "mayday-individual"}
    assert (rules[1].field, rules[1].values) == ("kind_version__kind__code", ["mayday-team"])


def test_notifications_read_in_the_kinds_terms(tree, make_nomination):
    from workflows.models import Notification
    from workflows.notifications.events import render_event

    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    told = Notification.objects.filter(data__model="awards.Nomination")
    assert told.exists()
    _carry()
    assert not Notification.objects.filter(data__model="awards.Nomination").exists()
    for note in Notification.objects.filter(data__model="kinds.KindCase"):
        assert note.data["state"] in {"confirming", "intermediate"}
        assert not note.event.startswith("workflows.event.progress.mayday.")
        title, body = render_event(note.event, note.data)
        assert title and body

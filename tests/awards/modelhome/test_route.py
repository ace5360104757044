"""The whole route: application → recommendation → two inspectors →
comparison → public notice → 模范 → plaque certificate, verifiable."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from awards.modelhome import decisions, services
from awards.modelhome.models import AppState, Title, TitleStatus
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Grade
from workflows.steps.decisions import decide

from .conftest import fill, score, through_notice, to_inspection


def test_full_application_to_model_granted_and_verifiable(mh, client):
    application = fill(mh)
    assert application.state == AppState.SUBMITTED and application.self_total == Decimal("100")
    to_inspection(mh, application)
    assert application.state == AppState.INSPECTING
    score(mh, application, mh.inspector_1, scale=Decimal("0.95"))
    application.refresh_from_db()
    assert application.state == AppState.INSPECTING  # waits for every inspector
    score(mh, application, mh.inspector_2, scale=Decimal("0.93"))
    application.refresh_from_db()
    assert application.state == AppState.SCORED
    assert application.inspected_total == Decimal("94.00") and not application.disagreement

    through_notice(mh, application)
    assert application.state == AppState.NOTICE_PASSED
    decide(case=application, actor=mh.admin_d, decision="model")
    assert application.state == AppState.GRANTED and application.granted_grade == Grade.MODEL

    title = Title.objects.get(application=application)
    assert title.status == TitleStatus.VALID and title.grade == Grade.MODEL and title.term_years == 2
    assert title.due_on.year == title.granted_on.year + 2
    certificate = title.certificate
    assert certificate.award_title == "模范职工之家" and certificate.holder_name == mh.union_a1.name
    assert certificate.number == "模家〔2024〕第001号"

    page = client.get(reverse("verify_certificate", args=[certificate.token]))
    assert page.status_code == 200
    assert "模范职工之家" in page.content.decode() and mh.union_a1.name in page.content.decode()

    client.force_login(mh.submitter)
    response = client.get(reverse("modelhome:title_certificate", args=[title.pk]), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("certificate_pdf",
                                                                                    args=[title.certificate_id])
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "模范职工之家" in text and mh.union_a1.name in text and "2024" in text and "已摘牌" not in text
    assert "特发此牌证" in text  # the plaque layout, not the default one


def test_small_home_of_a_sub_union(mh):
    application = fill(mh, org=mh.sub_a1, submitter=mh.sub_submitter)
    assert application.level == "small_home"
    to_inspection(mh, application)
    score(mh, application, mh.inspector_1, scale=Decimal("0.8"))
    score(mh, application, mh.inspector_2, scale=Decimal("0.8"))
    through_notice(mh, application)
    with pytest.raises(RuleViolation):  # a mean of 80 does not reach 模范
        decide(case=application, actor=mh.admin_d, decision="model")
    decide(case=application, actor=mh.admin_d, decision="qualified")
    assert Title.objects.get(application=application).certificate.award_title == "合格职工小家"


def test_disagreement_flag_when_totals_differ_by_more_than_the_setting(mh):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, scale=Decimal("0.95"))
    score(mh, application, mh.inspector_2, scale=Decimal("0.85"))
    application.refresh_from_db()
    assert application.disagreement and application.inspected_total == Decimal("90.00")


def test_a_title_holder_cannot_apply_again(mh):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1)
    score(mh, application, mh.inspector_2)
    through_notice(mh, application)
    decide(case=application, actor=mh.admin_d, decision="model")
    from awards.modelhome.models import Application, Campaign

    later = Campaign.objects.create(code="model-home-2026", year=2026, title="2026", district=mh.district,
                                    standard_version=mh.campaign.standard_version)
    with pytest.raises(RuleViolation, match="已获得该称号"):
        services.application_save(application=Application(campaign=later, organisation=mh.union_a1),
                                  actor=mh.submitter, answers={})
    assert not Application.objects.filter(campaign=later).exists()


def test_only_the_right_people_act(mh):
    application = fill(mh)
    with pytest.raises(NotAllowed):
        decide(case=application, actor=mh.reviewer_b, decision="recommend")
    from awards.modelhome.models import Application

    stale = Application.objects.get(pk=application.pk)  # a second reviewer's page, opened at the same time
    decide(case=application, actor=mh.reviewer_a, decision="recommend")
    with pytest.raises(AlreadyHandled):
        decide(case=stale, actor=mh.reviewer_a2, decision="recommend")
    with pytest.raises(RuleViolation):  # at least two inspectors
        services.inspectors_assign(application=application, actor=mh.admin_d, inspectors=[mh.inspector_1])
    with pytest.raises(NotAllowed):
        services.inspectors_assign(application=application, actor=mh.reviewer_d,
                                   inspectors=[mh.inspector_1, mh.inspector_2])
    services.inspectors_assign(application=application, actor=mh.admin_d, inspectors=[mh.inspector_1, mh.inspector_2])
    inspection = application.inspections.get(inspector=mh.inspector_1)
    with pytest.raises(NotAllowed):
        services.inspection_save(inspection=inspection, actor=mh.inspector_2, scores={})


def test_returned_application_is_revised_and_resubmitted(mh):
    application = fill(mh)
    with pytest.raises(RuleViolation):  # a return needs a reason
        decide(case=application, actor=mh.reviewer_a, decision="return")
    decide(case=application, actor=mh.reviewer_a, decision="return", comment="补材料")
    assert application.state == AppState.RETURNED
    from .conftest import full_answers

    services.application_save(application=application, actor=mh.submitter, answers=full_answers(mh.campaign),
                              submit=True)
    assert application.state == AppState.SUBMITTED


def test_objection_upheld_during_notice_refuses_the_title(mh):
    from workflows.models import NoticeEntry, ObjectorKind
    from workflows.notices.services import lodge_objection, record_finding

    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1)
    score(mh, application, mh.inspector_2)
    notice = decisions.campaign_notice_open(campaign=mh.campaign, actor=mh.admin_d)
    entry = NoticeEntry.objects.get(notice=notice)
    objection = lodge_objection(entry=entry, objector_kind=ObjectorKind.PERSON, text="职代会未召开",
                                contact="13800000000", person_name="赵六", today=notice.opened_on)
    record_finding(objection=objection, actor=mh.admin_d, upheld=True, finding="属实")
    application.refresh_from_db()
    assert application.state == AppState.NOT_GRANTED and not Title.objects.exists()


def test_each_inspector_has_their_own_task_in_the_inbox(mh, client):
    from workflows.steps.actors import inbox_tasks

    application = to_inspection(mh, fill(mh))

    def has_task(user):
        return any(t.process.artifact_object_id == application.pk for t in inbox_tasks(user))

    assert has_task(mh.inspector_1) and has_task(mh.inspector_2) and not has_task(mh.inspector_3)
    client.force_login(mh.inspector_1)
    inbox = client.get(reverse("inbox")).content.decode()
    assert mh.union_a1.name in inbox and reverse("modelhome:inspection_edit", args=[application.pk]) in inbox
    score(mh, application, mh.inspector_1)
    assert not has_task(mh.inspector_1) and has_task(mh.inspector_2)
    score(mh, application, mh.inspector_2)
    application.refresh_from_db()
    assert not has_task(mh.inspector_2) and application.state == AppState.SCORED
    with pytest.raises(AlreadyHandled):  # a second submission changes nothing
        services.inspection_save(inspection=application.inspections.get(inspector=mh.inspector_2),
                                 actor=mh.inspector_2, scores={}, submit=True)


def test_the_declaration_holds_the_route(mh):
    from awards.modelhome.declaration import MODEL_HOME
    from workflows.steps.registry import process_for

    assert process_for(application := fill(mh, submit=False)) is MODEL_HOME
    assert MODEL_HOME.step("inspect").fan_out and MODEL_HOME.step_of_state(application.state) is None
    assert ("scored", "in_notice") in MODEL_HOME.allowed() and ("submitted", "granted") not in MODEL_HOME.allowed()


def test_a_veto_found_by_an_inspector_bars_every_grade(mh):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, veto=True)
    score(mh, application, mh.inspector_2)
    through_notice(mh, application)
    for grade in ("model", "qualified"):
        with pytest.raises(RuleViolation):
            decide(case=application, actor=mh.admin_d, decision=grade)
    decide(case=application, actor=mh.admin_d, decision="not_granted")
    assert application.state == AppState.NOT_GRANTED and not Title.objects.exists()


def test_the_unit_withdraws_after_confirming(mh, client):
    application = fill(mh)
    client.force_login(mh.submitter)
    url = reverse("modelhome:application_withdraw", args=[application.pk])
    assert "确认撤回" in client.post(url).content.decode()
    application.refresh_from_db()
    assert application.state == AppState.SUBMITTED
    client.post(url, {"confirmed": "yes"})
    application.refresh_from_db()
    assert application.state == AppState.WITHDRAWN

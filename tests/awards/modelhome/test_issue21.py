"""Issue 21 item 6: the model home as inspectors and the district need it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from workflows.steps.decisions import decide

from .conftest import fill, full_answers, score, through_notice, to_inspection

pytestmark = pytest.mark.django_db


def _inspect_task_of(application, user_pk):
    from workflows.steps.actors import open_tasks_of_step

    return next(t for t in open_tasks_of_step(application, "inspect") if (t.data or {}).get("user") == user_pk)


def test_a_reassigned_inspection_is_scored_by_the_new_person(mh, client):
    from awards.modelhome import selectors, services
    from awards.modelhome.models import AppState
    from workflows.audit import history_of
    from workflows.steps.assignment import task_reassign

    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, submit=False)  # a draft the new person must not inherit
    task = _inspect_task_of(application, mh.inspector_1.pk)
    task_reassign(task=task, to_user=mh.inspector_3, actor=mh.admin_d, reason="甲因病不能到场")
    client.force_login(mh.inspector_3)
    url = reverse("modelhome:inspection_edit", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["total"] == 0  # the former inspector's draft is not shown
    inspection = selectors.own_inspection(mh.inspector_3, application)
    services.inspection_save(inspection=inspection, actor=mh.inspector_3,
                             scores=full_answers(mh.campaign), submit=True)
    score(mh, application, mh.inspector_2)
    application.refresh_from_db()
    assert application.state == AppState.SCORED
    assert sorted(application.inspections.values_list("inspector__username", flat=True)) == [
        "inspector_2", "inspector_3"]
    assert history_of(application).filter(action="modelhome.inspection.handed_over").exists()
    # The former inspector has nothing left to score.
    client.force_login(mh.inspector_1)
    assert client.get(url).status_code == 404


def test_titles_expire_by_the_daily_job_and_not_by_a_button(mh, client):
    from django.urls import NoReverseMatch

    from awards.modelhome.models import TitleStatus
    from workflows.management.commands.run_scheduler import Command
    from workflows.models import Notification
    from workflows.scheduling import daily_jobs

    from .test_titles import granted, reinspect

    overdue, under_way = granted(mh), granted(mh, org=mh.sub_a1, submitter=mh.sub_submitter)
    from awards.modelhome.models import Title

    Title.objects.filter(pk__in=[overdue.pk, under_way.pk]).update(
        due_on=datetime.date.today() - datetime.timedelta(days=2))
    reinspect(mh, under_way, Decimal("0.95"))  # scored, awaiting the decision: it does not expire
    assert "expire_titles" in daily_jobs()
    Command().handle(once=True, at="08:15")
    overdue.refresh_from_db(), under_way.refresh_from_db()
    assert overdue.status == TitleStatus.EXPIRED and overdue.certificate.revoked_reason == "到期"
    assert under_way.status == TitleStatus.VALID
    assert Notification.objects.filter(user=mh.submitter, event="modelhome.event.title_expired").count() == 1
    with pytest.raises(NoReverseMatch):
        reverse("modelhome:expire")
    client.force_login(mh.admin_d)
    assert "/titles/expire/" not in client.get(reverse("modelhome:register")).content.decode()


def test_due_within_90_days_never_counts_an_overdue_title(mh, client):
    from awards.modelhome.models import Title

    from .test_titles import granted

    soon, overdue = granted(mh), granted(mh, org=mh.sub_a1, submitter=mh.sub_submitter)
    today = datetime.date.today()
    Title.objects.filter(pk=soon.pk).update(due_on=today + datetime.timedelta(days=30))
    Title.objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=1))
    client.force_login(mh.admin_d)
    assert client.get(reverse("modelhome:register")).context["due_count"] == 1


def test_the_unit_is_told_of_a_reinspection_and_of_a_revocation(mh, client):
    from workflows.models import Notification

    from .test_titles import granted, reinspect

    title = granted(mh)
    case = reinspect(mh, title, Decimal("0.6"))
    opened = Notification.objects.get(user=mh.submitter, event="modelhome.event.reinspection_opened")
    assert opened.url == case.get_absolute_url()
    decide(case=case, actor=mh.admin_d, decision="revoke", comment="复查不合格")
    revoked = Notification.objects.get(user=mh.submitter, event="modelhome.event.title_revoked")
    client.force_login(mh.submitter)
    page = client.get(reverse("notifications"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "摘牌" in page and "复查" in page
    assert revoked.data["reason"] == "复查不合格"


def _noted(mh, application, inspector, note, remark):
    from awards.modelhome import services

    answers = full_answers(mh.campaign)
    first = next(iter(answers))
    answers[first]["evidence"] = note
    services.inspection_save(inspection=application.inspections.get(inspector=inspector), actor=inspector,
                             scores=answers, comment=remark, submit=True)


def test_the_district_reads_the_inspectors_notes_and_remarks_everywhere(mh, client):
    import io

    from openpyxl import load_workbook

    application = to_inspection(mh, fill(mh))
    _noted(mh, application, mh.inspector_1, "台账缺2023年记录", "总体较好，职代会资料需补齐")
    _noted(mh, application, mh.inspector_2, "现场核实无误", "同意推荐")
    client.force_login(mh.admin_d)
    compare = client.get(reverse("modelhome:compare", args=[application.pk])).content.decode()
    detail = client.get(reverse("modelhome:application_detail", args=[application.pk])).content.decode()
    for page in (compare, detail):
        for text in ("台账缺2023年记录", "总体较好，职代会资料需补齐", "现场核实无误", "同意推荐"):
            assert text in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("modelhome:inspection_download",
                                                        args=[application.pk])).content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert {"台账缺2023年记录", "现场核实无误", "总体较好，职代会资料需补齐", "同意推荐", "总体意见"} <= cells
    # The unit itself does not read the inspectors' notes.
    client.force_login(mh.submitter)
    assert "台账缺2023年记录" not in client.get(
        reverse("modelhome:application_detail", args=[application.pk])).content.decode()


def test_the_inspector_sees_the_units_self_score_beside_each_item(mh, client):
    application = to_inspection(mh, fill(mh, scale=Decimal("0.5")))
    client.force_login(mh.inspector_1)
    page = client.get(reverse("modelhome:inspection_edit", args=[application.pk]))
    html = page.content.decode()
    answer = application.answers.select_related("item").filter(item__kind="scored").first()
    block = html.split(f'id="item-{answer.item_id}"')[1].split('class="sheet-item')[0]
    assert "self-score" in block and str(answer.score) in block


def test_a_grassroots_unit_opens_its_campaigns_scoring_standard(mh, client):
    client.force_login(mh.submitter)  # a grassroots union's submitter, no role at the district
    campaign = client.get(reverse("modelhome:campaign_detail", args=[mh.campaign.code])).content.decode()
    link = reverse("modelhome:standard_detail", args=[mh.campaign.standard_version.pk])
    assert link in campaign
    page = client.get(link)
    assert page.status_code == 200 and "模范职工之家考核标准" in page.content.decode()
    assert client.get(reverse("modelhome:standard_export", args=[mh.campaign.standard_version.pk])).status_code == 200
    assert mh.campaign.standard_version.standard.name in client.get(reverse("modelhome:standard_list")).content.decode()
    # Another district's standard stays a 404.
    from workflows.scoring.standards import standard_create
    from demo.modelhome_standard import DEMO_STANDARD
    from tests.conftest import make_org, make_user
    from workflows.models import OrgKind

    other = make_org("外区总工会", "other-d", OrgKind.DISTRICT, None)
    foreign = standard_create(district=other, code="other-standard", name="外区标准", data=DEMO_STANDARD,
                              actor=make_user("other_admin", (other, "district_admin")))
    assert client.get(reverse("modelhome:standard_detail", args=[foreign.pk])).status_code == 404


def _disagreeing(mh):
    application = to_inspection(mh, fill(mh))
    score(mh, application, mh.inspector_1, scale=Decimal("0.95"))
    score(mh, application, mh.inspector_2, scale=Decimal("0.7"))
    application.refresh_from_db()
    assert application.disagreement
    return application


def test_the_district_asks_an_inspector_to_rescore(mh):
    from awards.modelhome import decisions
    from awards.modelhome.models import AppState
    from workflows.audit import history_of
    from workflows.exceptions import NotAllowed, RuleViolation
    from workflows.steps.actors import open_tasks_of_step

    application = _disagreeing(mh)
    low = application.inspections.get(inspector=mh.inspector_2)
    with pytest.raises(NotAllowed):
        decisions.rescore_request(application=application, inspection=low, actor=mh.reviewer_d, reason="差距大")
    with pytest.raises(RuleViolation):
        decisions.rescore_request(application=application, inspection=low, actor=mh.admin_d, reason=" ")
    decisions.rescore_request(application=application, inspection=low, actor=mh.admin_d,
                              reason="第三部分评分差距大，请复核")
    application.refresh_from_db()
    assert application.state == AppState.INSPECTING
    assert [t.owner_id for t in open_tasks_of_step(application, "inspect")] == [mh.inspector_2.pk]
    entry = history_of(application).get(action="modelhome.application.rescore_requested")
    assert entry.actor_id == mh.admin_d.pk and entry.comment == "第三部分评分差距大，请复核"
    score(mh, application, mh.inspector_2, scale=Decimal("0.93"))
    application.refresh_from_db()
    assert application.state == AppState.SCORED and not application.disagreement
    assert application.inspected_total == Decimal("94.00")


def test_the_district_assigns_a_third_inspector(mh, client):
    from awards.modelhome.models import AppState
    from workflows.audit import history_of

    application = _disagreeing(mh)
    client.force_login(mh.admin_d)
    url = reverse("modelhome:remedy", args=[application.pk])
    # No reason: refused, what was chosen is kept on the page.
    page = client.post(url, {"remedy": "third", "third-inspector": mh.inspector_3.pk, "third-reason": "",
                             "third-version": application.version})
    assert page.status_code == 200 and application.inspections.count() == 2
    assert f'value="{mh.inspector_3.pk}" selected' in page.content.decode()
    client.post(url, {"remedy": "third", "third-inspector": mh.inspector_3.pk, "third-reason": "请第三人评分",
                      "third-version": application.version})
    application.refresh_from_db()
    assert application.state == AppState.INSPECTING and application.inspections.count() == 3
    assert history_of(application).filter(action="modelhome.application.inspector_added").exists()
    score(mh, application, mh.inspector_3, scale=Decimal("0.9"))
    application.refresh_from_db()
    assert application.state == AppState.SCORED
    assert application.inspected_total == ((Decimal("95") + Decimal("70") + Decimal("90")) / 3).quantize(
        Decimal("0.01"))


def test_a_disputed_application_is_held_out_of_the_notice_and_released_later(mh, client):
    from awards.modelhome import decisions
    from awards.modelhome.models import AppState
    from workflows.audit import history_of
    from workflows.notices.services import entry_of

    disputed = _disagreeing(mh)
    other = to_inspection(mh, fill(mh, org=mh.sub_a1, submitter=mh.sub_submitter))
    score(mh, other, mh.inspector_1), score(mh, other, mh.inspector_2)
    client.force_login(mh.admin_d)
    url = reverse("modelhome:notice_hold", args=[disputed.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    client.post(url, {"reason": "评分争议待核实"})
    disputed.refresh_from_db()
    assert disputed.notice_hold == "评分争议待核实"
    assert history_of(disputed).filter(action="modelhome.application.held_from_notice").exists()
    confirm = client.post(reverse("modelhome:notice_open", args=[mh.campaign.code])).content.decode()
    assert "评分争议待核实" in confirm
    through_notice(mh, disputed, other)
    assert other.state == AppState.NOTICE_PASSED
    assert disputed.state == AppState.SCORED and entry_of(disputed) is None
    client.post(url, {"release": "yes"})
    disputed.refresh_from_db()
    assert disputed.notice_hold == ""
    second = decisions.campaign_notice_open(campaign=mh.campaign, actor=mh.admin_d)
    disputed.refresh_from_db()
    assert disputed.state == AppState.IN_NOTICE and entry_of(disputed).notice == second

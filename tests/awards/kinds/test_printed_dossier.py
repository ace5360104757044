"""The printed application form as the case's dossier: an opinion block per
deciding level filled from the case's decisions (the latest of each level,
with the reviewer, the organisation and the date), the public notice's
record, and ID numbers in full only to the district and to the officers of
a department asked for a sign-off, on asking, recorded, never cached."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.kinds import cases as case_services
from awards.kinds.models import KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.kinds.printed import application_form_html
from tests.awards.kinds.conftest import filled
from tests.awards.kinds.test_printed_form import _text
from workflows.audit import history_of
from workflows.documents import pdf_cache
from workflows.models import ObjectorKind
from workflows.notices.services import close_notice, entry_of, lodge_objection, record_finding
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

STEPS = ("confirm", "intermediate_review", "signoffs", "notice")
VIEWED = "kinds.case.identity_viewed"


@pytest.fixture
def named(tree, departments):
    """The deciding people with the names the form prints."""
    for user, name in ((tree.chair, "周主席"), (tree.reviewer_a, "吴审核"), (tree.reviewer_d, "郑审核"),
                       (tree.admin_d, "王主任"), (departments["tax"], "冯税务"), (departments["safety"], "陈安监")):
        user.last_name = name
        user.save(update_fields=["last_name"])
    return departments


def _up_to_signoffs(tree, case):
    decide(case=case, actor=tree.chair, decision="confirm", comment="情况属实，同意推荐。")
    decide(case=case, actor=tree.reviewer_a, decision="forward", comment="经镇工会审核，同意上报。")
    decide(case=case, actor=tree.reviewer_d, decision="approve", comment="经区总工会审核，同意。")
    case.refresh_from_db()
    return case


def _returned_once(tree, case, returner, comment):
    """The levels up to `returner` pass the case, who returns it; its union
    hands it in again with the same answers: back at the first level."""
    decide(case=case, actor=tree.chair, decision="confirm")
    if returner != tree.reviewer_a:
        decide(case=case, actor=tree.reviewer_a, decision="forward")
    decide(case=case, actor=returner, decision="return", comment=comment)
    case.refresh_from_db()
    form = case_services.form_class(case)(filled(case.kind_version, case.pk, name=case.name))
    assert form.is_valid(), form.errors
    case_services.do_resubmit_case(case=case, form=form, actor=tree.submitter)
    case.refresh_from_db()
    return case


def _through_notice(tree, departments, case, *, objection=None):
    """The two departments agree, the notice runs (with an objection
    dismissed, if given) and closes: the case awaits the final decision."""
    decide(case=case, actor=departments["tax"], decision="agree", comment="无欠税记录。")
    decide(case=case, actor=departments["safety"], decision="agree")
    notice = do_publish_notice(campaign=case.campaign, actor=tree.admin_d)
    if objection:
        lodged = lodge_objection(entry=entry_of(case), objector_kind=ObjectorKind.PERSON, text=objection,
                                 contact="13900000000", person_name="李举报", today=notice.opened_on)
        record_finding(objection=lodged, actor=tree.admin_d, upheld=False, finding="经核查，反映情况不属实。")
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.state == S.DECIDING
    return case, notice


def test_the_form_prints_each_levels_opinion_and_the_notice_record(
        client, tree, named, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=STEPS, signoffs=["dept-tax", "dept-safety"]))
    # Returned once by the district: its approval afterwards is what prints.
    case = _up_to_signoffs(tree, _returned_once(tree, make_case(campaign), tree.reviewer_d, "请补充获奖证书复印件。"))
    case, notice = _through_notice(tree, named, case, objection="该同志事迹存在夸大。")
    decide(case=case, actor=tree.admin_d, decision="outcome_1", comment="同意授予。")

    client.force_login(tree.submitter)
    text = _text(client.get(reverse("kinds:case_printed", args=[case.pk])))
    for level, opinion, reviewer, organisation in (
            ("本单位工会主席确认", "情况属实，同意推荐。", "周主席", tree.union_a1.name),
            ("上级工会审核", "经镇工会审核，同意上报。", "吴审核", tree.town_a.name),
            ("区总工会审核", "经区总工会审核，同意。", "郑审核", tree.district.name),
            ("部门会签税务局", "无欠税记录。", "冯税务", "税务局"),
            ("部门会签应急管理局", "", "陈安监", "应急管理局"),
            ("最终决定", "同意授予。", "王主任", tree.district.name)):
        assert level in text and f"审核人：{reviewer}" in text and organisation in text, level
        assert opinion in text
    # Each level's decision in the words of its button; the outcome in the
    # version's own label.
    assert "授予" in text and text.index("周主席") < text.index("吴审核") < text.index("郑审核") < text.index("王主任")
    assert "请补充获奖证书复印件" not in text  # the district's return gave way to its approval
    assert text.count("签字（盖章）") == 6
    # The notice: its dates, the objection by its reference with its end;
    # never the objector nor the objection's text.
    [objection] = entry_of(case).objections.all()
    assert f"公示期{notice.opened_on:%Y-%m-%d}至{notice.closes_on:%Y-%m-%d}" in text
    assert f"异议{objection.reference}" in text and "经核查，反映情况不属实。" in text and "不成立" in text
    assert "李举报" not in text and "13900000000" not in text and "夸大" not in text


def test_a_notice_without_objection_prints_so_and_a_level_not_reached_prints_blank(
        client, tree, named, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=STEPS, signoffs=["dept-tax", "dept-safety"]))
    case, _notice = _through_notice(tree, named, _up_to_signoffs(tree, make_case(campaign)))
    client.force_login(tree.reviewer_d)
    text = _text(client.get(reverse("kinds:case_printed", args=[case.pk])))
    assert "公示无异议" in text and "异议YY" not in text
    # The final decision is not taken: its box waits for the pen.
    assert "最终决定" in text and "王主任" not in text and "年月日" in text


def test_the_forms_queries_do_not_grow_with_its_decisions(tree, named, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=STEPS, signoffs=["dept-tax", "dept-safety"]))
    few, _notice = _through_notice(tree, named, _up_to_signoffs(tree, make_case(campaign)), objection="材料不实。")
    # Twice as many decisions (a return, the levels again) and the same
    # single objection as the other case.
    many = _up_to_signoffs(tree, _returned_once(tree, make_case(campaign), tree.reviewer_a, "请补充材料。"))
    many, _notice = _through_notice(tree, named, many, objection="事迹夸大。")
    decide(case=many, actor=tree.admin_d, decision="outcome_2", comment="不予授予。")
    counts = []
    for case in (few, many):
        case = type(case).objects.select_related("organisation", "campaign", "kind_version").get(pk=case.pk)
        with CaptureQueriesContext(connection) as queries:
            application_form_html(case, actor=tree.reviewer_d)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7, counts


def _cached_entries():
    root = pdf_cache.cache_root()
    return sorted(p.name for p in root.rglob("*.pdf")) if root.is_dir() else []


def test_the_union_prints_the_number_masked_and_the_district_in_full_recorded_and_uncached(
        client, tree, make_kind, open_campaign, make_case):
    case = make_case(open_campaign(make_kind(steps=("notice",))))
    full = case.answers["id_number"]
    url = reverse("kinds:case_printed", args=[case.pk])

    client.force_login(tree.submitter)
    masked = client.get(url + "?full=1")  # the union may not: masked all the same
    text = _text(masked)
    assert full not in text and full[-4:] in text and "13800138000" not in text
    assert masked["Cache-Control"] == "private, no-cache"
    assert VIEWED not in [e.action for e in history_of(case)]
    cached = _cached_entries()
    assert cached  # the masked form is kept by its content

    client.force_login(tree.reviewer_d)
    response = client.get(url + "?full=1")
    assert full in _text(response) and "13800138000" in _text(response)
    assert response["Cache-Control"] == "no-store" and not response.has_header("ETag")
    assert _cached_entries() == cached  # the full one is kept nowhere
    [entry] = [e for e in history_of(case) if e.action == VIEWED]
    assert (entry.actor, entry.organisation, entry.role, entry.data["where"]) == (
        tree.reviewer_d, tree.district, "reviewer", "printed_form")


def test_an_asked_departments_officer_reads_the_number_in_full_on_page_and_form(
        client, tree, named, make_kind, open_campaign, make_case):
    campaign = open_campaign(make_kind(steps=("signoffs",), signoffs=["dept-tax"]))
    case = make_case(campaign)
    full = case.answers["id_number"]
    page, printed = reverse("kinds:case_detail", args=[case.pk]), reverse("kinds:case_printed", args=[case.pk])
    officer, not_asked = named["tax"], named["audit"]
    client.force_login(officer)
    assert client.get(page).status_code == 404  # not asked yet: the case has not reached the sign-offs

    decide(case=case, actor=tree.reviewer_d, decision="approve")
    shown = client.get(page).content.decode()
    assert "?full=1" in shown and full not in shown
    assert full in client.get(page + "?full=1").content.decode()
    response = client.get(printed + "?full=1")
    assert full in _text(response) and response["Cache-Control"] == "no-store"
    entries = [e for e in history_of(case) if e.action == VIEWED]
    assert [(e.actor, e.organisation.code, e.role, e.data["where"]) for e in entries] == [
        (officer, "dept-tax", "department", "page"), (officer, "dept-tax", "department", "printed_form")]
    # A department the route does not name sees nothing of the case.
    client.force_login(not_asked)
    assert client.get(page).status_code == 404 and client.get(printed).status_code == 404


def test_a_department_not_asked_by_this_route_reads_no_full_number(
        client, tree, named, make_kind, open_campaign, make_case):
    """The safety officer is asked by one kind's route, the case is of
    another that asks tax only: nothing of it is theirs."""
    open_campaign(make_kind(steps=("signoffs",), signoffs=["dept-safety"]))
    case = make_case(open_campaign(make_kind(steps=("signoffs",), signoffs=["dept-tax"])))
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    client.force_login(named["safety"])
    assert client.get(reverse("kinds:case_printed", args=[case.pk]) + "?full=1").status_code == 404
    assert VIEWED not in [e.action for e in history_of(case)]


def test_a_department_limited_to_other_sectors_reads_no_full_number(tree, named, make_kind, open_campaign, make_case):
    """Audit signs off state-owned enterprises only: named by the route but
    not for a non-public enterprise's case, its officer reads no full
    number of it (the grant follows the requests the route's sectors
    opened, not the route read again)."""
    from awards.kinds.selectors import identity_grant
    from workflows.models import Organisation

    campaign = open_campaign(make_kind(steps=("signoffs",), signoffs=[
        "dept-tax", {"department": "dept-audit", "sectors": ["state_owned"]}]))
    case = make_case(campaign)
    assert case.organisation.sector == "non_public"
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    case.refresh_from_db()
    assert identity_grant(named["tax"], case) is not None
    assert identity_grant(named["audit"], case) is None
    # A case of a state-owned enterprise asks audit too, and grants it.
    Organisation.objects.filter(pk=tree.union_a1.pk).update(sector="state_owned")
    tree.union_a1.refresh_from_db()
    state = make_case(campaign)
    decide(case=state, actor=tree.reviewer_d, decision="approve")
    assert identity_grant(named["audit"], state) is not None
    # The grant is the request's: the first case, never asked of audit,
    # stays out of its reach though its union is state-owned now.
    case.refresh_from_db()
    assert identity_grant(named["audit"], case) is None

"""May Day's forms on the kinds (the starters mayday-individual, -unit,
-team): refused input brings the page back (200) saying what is wrong,
with what was typed, and saves nothing (no case, no attachment, no audit
entry, no file); the places checked again when a returned case comes back;
the union's choice; the sector of the nominating union.

Ported from tests/awards/test_bad_input.py and test_sector.py."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from tests.conftest import PDF_BYTES, make_user, medal_post, valid_id_number
from workflows.audit import history_of
from workflows.models import Attachment, AuditEntry, Quota
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def new_url(campaign, kind="individual"):
    return reverse("kinds:case_new", args=[campaign.pk]) + f"?kind=mayday-{kind}"


def stored_files(settings):
    root = settings.PRIVATE_STORAGE_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def refused(settings):
    """refused(response, typed): the page again, saying so, with the values
    typed, and nothing saved since the fixture was asked for."""
    entries = AuditEntry.objects.count()

    def check(response, typed):
        assert response.status_code == 200
        messages = [str(m) for m in get_messages(response.wsgi_request)]
        page = response.content.decode()
        assert "未保存：请修改下面标出的内容。" in messages or 'role="alert"' in page, "the page must say what is wrong"
        for value in typed:
            assert value in page, f"typed value {value!r} lost"
        assert not KindCase.objects.exists()
        assert not Attachment.objects.exists()
        assert AuditEntry.objects.count() == entries
        assert stored_files(settings) == []
        return page
    return check


def errors_of(response):
    return response.context["form"].errors


def test_a_missing_required_answer(tree, client, mayday_campaign, refused):
    client.force_login(tree.submitter)
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a1, ethnicity="", deeds="我的事迹原文"))
    refused(response, ["李四", "我的事迹原文", "023-12345678"])
    assert "ethnicity" in errors_of(response)


def test_deeds_over_2000_characters(tree, client, mayday_campaign, refused):
    client.force_login(tree.submitter)
    long_deeds = "字" * 2001
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a1, deeds=long_deeds))
    refused(response, ["李四", long_deeds])
    assert errors_of(response)["deeds"] == ["确保该变量包含不超过 2000 字符 (目前字符数 2001)。"]


def test_summary_over_500_characters(tree, client, mayday_campaign, refused):
    client.force_login(tree.submitter)
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a1, summary="要" * 501))
    refused(response, ["李四"])
    assert errors_of(response)["summary"] == ["确保该变量包含不超过 500 字符 (目前字符数 501)。"]


@pytest.mark.parametrize("bad, message", [
    (SimpleUploadedFile("x.pdf", b"just some text, not a PDF", content_type="application/pdf"),
     "“x.pdf”的扩展名为 PDF，但文件内容并非 PDF 格式。"),
    # The starter's limit: 20 MB a file.
    (SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024), content_type="application/pdf"),
     "“big.pdf”超过20 MB。"),
], ids=["text-named-pdf", "over-20-mb"])
def test_a_bad_file_among_good_ones_is_refused_by_name(tree, client, mayday_campaign, refused, bad, message):
    client.force_login(tree.submitter)
    good = SimpleUploadedFile("minutes.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a1, attachments=[good, bad]))
    page = refused(response, ["李四", "车间主任"])
    assert message in page and message in errors_of(response)["attachments"]


def test_an_invalid_id_number(tree, client, mayday_campaign, refused):
    client.force_login(tree.submitter)
    valid = valid_id_number()
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a1, id_number=wrong))
    refused(response, [wrong])
    assert errors_of(response)["id_number"] == ["身份证号码无效，请核对。"]


def test_places_used_up_save_nothing_and_hold_the_chosen_file(tree, client, mayday_campaign, refused):
    """The places' refusal says why, and holds the chosen file: the next
    post (the places raised) saves it without choosing it again."""
    places = Quota.objects.filter(scope_id=mayday_campaign.pk, organisation=tree.town_a,
                                  category="mayday-individual")
    places.update(count=0)
    client.force_login(tree.submitter)
    minutes = SimpleUploadedFile("纪要.pdf", PDF_BYTES, content_type="application/pdf")
    data = medal_post(tree.union_a1, deeds="配额测试事迹")
    response = client.post(new_url(mayday_campaign), {**data, "answers-attachments": [minutes]})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{tree.town_a.name}的“五一劳动奖章”名额已用完：共 0 个名额，已占用 0 个。" in page
    assert "李四" in page and "配额测试事迹" in page and "纪要.pdf" in page
    assert not KindCase.objects.exists() and not Attachment.objects.exists()
    key = re.search(r'name="held_attachments" value="([0-9a-f]+)"', page).group(1)
    places.update(count=5)
    response = client.post(new_url(mayday_campaign), {**data, "held_attachments": [key]})
    assert response.status_code == 302
    case = KindCase.objects.get()
    assert case.state == S.CONFIRMING
    assert [a.original_name for a in case.attachment_files.all()] == ["纪要.pdf"]


def test_the_unit_form_asks_for_the_units_answers(tree, client, mayday_campaign, refused):
    client.force_login(tree.submitter)
    response = client.post(new_url(mayday_campaign, "unit"), {
        "case-organisation": tree.union_a1.pk, "case-name": "甲一机械有限公司", "action": "submit"})
    refused(response, ["甲一机械有限公司"])
    assert {"legal_representative", "headcount", "deeds", "summary", "congress_discussed_on"} <= set(
        errors_of(response))
    assert "id_number" not in response.context["form"].fields


def test_a_kind_not_offered_is_404(tree, client, mayday_campaign):
    import datetime

    from awards.kinds import cases as case_services
    from django.utils import timezone

    # The district's team kind exists, but this campaign offers the other two.
    versions = [v for v in mayday_campaign.offered_versions if v.kind.code != "mayday-team"]
    campaign = case_services.do_open_campaign(
        versions=versions, year=2024, title="2024年度五一劳动奖状和奖章", code="mayday-two", actor=tree.admin_d,
        deadline=timezone.now() + datetime.timedelta(days=30))
    client.force_login(tree.submitter)
    assert client.get(new_url(campaign, "individual")).status_code == 200
    assert client.get(new_url(campaign, "team")).status_code == 404
    assert client.get(new_url(campaign, "nonsense")).status_code == 404


def test_a_return_without_a_reason_keeps_the_state(tree, client, make_mayday_case):
    case = make_mayday_case()
    client.force_login(tree.chair)
    before = AuditEntry.objects.count()
    response = client.post(reverse("kinds:case_decide", args=[case.pk]),
                           {"decision": "return", "comment": "  ", "version": case.version})
    # The decision page again (400), saying why, with nothing confirmed.
    page = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in page and "请说明工会需要修改的内容。" in page
    assert 'name="confirmed"' not in page
    assert KindCase.objects.get(pk=case.pk).state == S.CONFIRMING
    assert AuditEntry.objects.count() == before


def test_places_given_up_meanwhile_keep_the_resubmission_unsaved(tree, client, make_mayday_case):
    case = make_mayday_case()
    decide(decision="return", case=case, actor=tree.chair, comment="补充")
    # Meanwhile the district gave the town's places up (two other cases hold them).
    make_mayday_case(), make_mayday_case()
    Quota.objects.filter(organisation=tree.town_a, category="mayday-individual").update(count=2)
    seen = KindCase.objects.get(pk=case.pk)
    client.force_login(tree.submitter)
    response = client.post(reverse("kinds:case_revise", args=[case.pk]), {
        **{k: v for k, v in medal_post(tree.union_a1, deeds="改后的事迹").items() if k.startswith("answers-")},
        "version": seen.version, "comment": "补充了事迹"})
    page = response.content.decode()
    assert response.status_code == 200 and "改后的事迹" in page and "名额已用完" in page
    after = KindCase.objects.get(pk=case.pk)
    assert after.state == S.RETURNED and after.answers == seen.answers and after.version == seen.version
    assert after.round == 1 and not after.rounds.exists()
    assert history_of(after).last().action == "kinds.case.returned"


def test_a_stale_draft_edit_saves_nothing(tree, client, make_mayday_case):
    # Kinds say so on the form (200, what was typed kept), where May Day
    # answered 409: the same refusal, nothing saved.
    draft = make_mayday_case(submit=False)
    client.force_login(tree.submitter)
    response = client.post(reverse("kinds:case_edit", args=[draft.pk]), {
        **medal_post(tree.union_a1, deeds="过时的修改"), "action": "draft", "version": draft.version + 5})
    page = response.content.decode()
    assert response.status_code == 200 and "过时的修改" in page
    assert "该草稿已被他人修改，本次未保存任何内容，请刷新页面。" in page
    after = KindCase.objects.get(pk=draft.pk)
    assert (after.name, after.answers, after.version) == (draft.name, draft.answers, draft.version)


def test_the_union_choice_is_the_users_own(tree, client, mayday_campaign, refused):
    both = make_user("submitter_two", (tree.union_a1, Role.SUBMITTER), (tree.union_a2, Role.SUBMITTER))
    client.force_login(both)
    frame = client.get(new_url(mayday_campaign)).context["frame"]
    assert set(frame.fields["organisation"].queryset) == {tree.union_a1, tree.union_a2}

    response = client.post(new_url(mayday_campaign), medal_post(tree.union_b1))
    refused(response, ["李四"])
    assert "organisation" in response.context["frame"].errors

    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a2))
    assert response.status_code == 302
    assert KindCase.objects.get().organisation == tree.union_a2


def test_an_empty_post_is_a_form_with_errors(tree, client, mayday_campaign, make_mayday_case):
    client.force_login(tree.submitter)
    response = client.post(new_url(mayday_campaign), {})
    assert response.status_code == 200 and errors_of(response) and response.context["frame"].errors
    assert not KindCase.objects.exists()
    draft = make_mayday_case(submit=False)
    response = client.post(reverse("kinds:case_edit", args=[draft.pk]), {})
    assert response.status_code == 200 and errors_of(response)
    after = KindCase.objects.get(pk=draft.pk)
    assert (after.name, after.answers, after.version) == (draft.name, draft.answers, draft.version)


# The sector (所属经济类型 / 单位性质): May Day's form started from the
# nominating union's, and a blank one was saved as the union's; the
# sign-offs and the mix rules read it.

def test_the_form_starts_from_the_unions_sector(tree, client, mayday_campaign):
    client.force_login(tree.submitter)  # of union_a1, a non-public enterprise's union
    response = client.get(new_url(mayday_campaign))
    assert response.status_code == 200
    assert response.context["form"]["sector"].value() == "non_public"


def test_a_blank_sector_is_saved_as_the_unions(tree, make_mayday_case):
    case = make_mayday_case(sector="")
    assert case.answers["sector"] == "non_public"


def test_a_submitter_of_unions_of_two_sectors_starts_blank_and_gets_the_chosen_unions(tree, client,
                                                                                        mayday_campaign):
    # Not as May Day (which started from the first union's sector): the
    # blank answer, "同申报工会", is the sector of the union chosen.
    both = make_user("submitter_two", (tree.union_a1, Role.SUBMITTER), (tree.union_a2, Role.SUBMITTER))
    client.force_login(both)
    response = client.get(new_url(mayday_campaign))
    assert response.context["form"]["sector"].value() is None and "同申报工会" in response.content.decode()
    response = client.post(new_url(mayday_campaign), medal_post(tree.union_a2, sector=""))
    assert response.status_code == 302
    assert KindCase.objects.get(organisation=tree.union_a2).answers["sector"] == "state_owned"


def test_a_revised_case_left_blank_keeps_the_unions_sector(tree, client, make_mayday_case):
    case = make_mayday_case(org=tree.union_a2, sector="")
    decide(decision="return", case=case, actor=holder(tree.union_a2, Role.CHAIR), comment="请补充")
    client.force_login(holder(tree.union_a2, Role.SUBMITTER))
    url = reverse("kinds:case_revise", args=[case.pk])
    assert client.get(url).context["form"]["sector"].value() == "state_owned"
    data = {k: v for k, v in medal_post(tree.union_a2, sector="").items() if k.startswith("answers-")}
    case.refresh_from_db()
    response = client.post(url, {**data, "version": case.version, "comment": "已补充"})
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.state == S.CONFIRMING and case.answers["sector"] == "state_owned"


def test_a_blank_sector_signs_off_as_the_unions(tree, departments, open_mayday, make_mayday_case, client):
    from workflows.signoffs.services import pending_departments

    campaign = open_mayday("mayday-signed", signoffs=True)
    asked = {}
    for org in (tree.union_a1, tree.union_a2, tree.union_b1):
        case = make_mayday_case(campaign=campaign, org=org, sector="")
        decide(decision="confirm", case=case, actor=holder(org, Role.CHAIR))
        decide(decision="forward", case=case, actor=tree.reviewer_a if org != tree.union_b1 else tree.reviewer_b)
        decide(decision="approve", case=case, actor=tree.reviewer_d)
        case.refresh_from_db()
        asked[org.code] = (case.state, sorted(d.code for d in departments_of(pending_departments(case))))
    assert asked == {"union-a1": (S.SIGNOFFS, ["dept-safety", "dept-tax"]),
                     "union-a2": (S.SIGNOFFS, ["dept-audit", "dept-safety", "dept-tax"]),
                     "union-b1": (S.AWAITING_NOTICE, [])}


def test_the_sector_answered_decides_the_sign_offs(tree, departments, open_mayday, make_mayday_case):
    from workflows.signoffs.services import pending_departments

    campaign = open_mayday("mayday-signed", signoffs=True)
    # A state-owned enterprise's candidate put forward by the non-public union: audit signs off too.
    case = make_mayday_case(campaign=campaign, sector="state_owned")
    decide(decision="confirm", case=case, actor=tree.chair)
    decide(decision="forward", case=case, actor=tree.reviewer_a)
    decide(decision="approve", case=case, actor=tree.reviewer_d)
    case.refresh_from_db()
    assert sorted(d.code for d in departments_of(pending_departments(case))) == [
        "dept-audit", "dept-safety", "dept-tax"]


def test_a_mix_rule_counts_a_blank_sector_as_the_unions(tree, mayday_campaign, make_mayday_case):
    from workflows.mixrules.services import figures_of, rule_create

    rule_create(scope=mayday_campaign, field="sector", values=["non_public"], comparison="min", percent=35,
                actor=tree.admin_d)
    case = make_mayday_case(sector="")
    decide(decision="confirm", case=case, actor=tree.chair)
    decide(decision="forward", case=case, actor=tree.reviewer_a)
    figure = figures_of(mayday_campaign)[0]
    assert (figure.projected_matching, figure.projected_total, figure.projected_ok) == (1, 1, True)


def holder(org, role):
    from tests.conftest import holder_of

    return holder_of(org, role)


def departments_of(ids):
    from workflows.models import Organisation

    return Organisation.objects.filter(pk__in=list(ids))


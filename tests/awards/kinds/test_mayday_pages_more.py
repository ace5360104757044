"""More of May Day's pages on the May Day kinds (ported from
tests/awards/test_views.py and test_smaller_points.py; the rest of those
files is asserted elsewhere). Old test -> covering test:

whole journey -> test_the_whole_journey_through_the_pages (here);
certificate rendered on first download -> test_the_certificate_is_rendered_on_first_download (here);
edit refused once submitted, draft then submit -> test_drafts_and_deadlines.py::
  test_a_draft_is_edited_and_handed_in_from_its_form (edit a 404 once handed in); the team draft
  handed in from its page -> test_a_team_draft_is_handed_in_from_its_page (here);
withdraw -> test_the_union_withdraws_from_the_page (here);
buttons follow the step -> test_the_decision_buttons_follow_the_step (here);
campaign create with places -> test_multikind.py::
  test_the_district_opens_a_campaign_of_two_kinds_after_a_confirmation_naming_both and
  test_places_are_set_and_counted_per_kind (kinds: places on the campaign's places page; notice days,
  published fields and step deadlines are the kind's, not the campaign's); its bad input ->
  test_multikind.py::test_opening_with_no_kind_or_another_districts_kind_is_refused_keeping_what_was_typed,
  test_drafts_and_deadlines.py::test_a_day_without_a_time_is_its_last_minute_and_a_past_deadline_is_refused,
  test_certificates_and_printing.py::test_a_taken_or_reserved_code_is_refused_and_what_was_typed_stays;
campaign page counts and quota usage -> test_the_campaign_page_counts_cases_and_places_used (here);
closed campaign's tree (two) -> test_campaign_and_case_pages.py::test_a_closed_campaign_shows_the_tree_as_it_closed
  and test_a_closed_campaign_keeps_the_unions_it_had (here);
list filters -> tests/engine/test_case_list.py::test_filters_search_state_and_paging,
  test_campaign_and_case_pages.py::test_the_list_filters_by_kind_and_union_..., test_api_and_search.py::
  test_the_list_searches_names_unions_and_public_answers_only;
award list -> test_mayday_papers.py (award list page, Excel, PDF);
phone-friendly tables -> test_the_pages_carry_phone_friendly_tables and
  test_the_case_page_carries_phone_friendly_tables (here);
admin pages -> test_kinds_admin.py (kinds' records read only), tests/engine/test_smaller_points.py::
  test_the_engines_admin_pages_and_the_audit_log_read_only, the campaign's audited correction (kinds: its own
  page) test_drafts_and_deadlines.py::test_the_district_corrects_title_and_deadline_audited; list to Excel -> tests/engine/test_case_list.py::
  test_the_workbook_holds_every_filtered_row_typed_and_printable;
the round's added files -> test_the_round_lists_the_files_added (here);
number diff, print-job log, home page, long hashes -> tests/engine/test_smaller_points.py."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.kinds.models import KindCampaign, KindCase, KindCaseState as S
from tests.awards.kinds.test_campaigns_and_cases import _decide
from tests.conftest import PDF_BYTES, medal_post, valid_id_number
from workflows.audit import history_of
from workflows.models import Certificate

pytestmark = pytest.mark.django_db


def _pdf(name):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _font_names(reader):
    names = set()

    def collect(font):
        font = font.get_object()
        names.add(str(font.get("/BaseFont", "")))
        for descendant in font.get("/DescendantFonts", []) or []:
            collect(descendant)

    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}) or {}
        for font in fonts.get_object().values():
            collect(font)
    return names


def test_the_whole_journey_through_the_pages(tree, mayday_campaign, client, pass_kind_notice,
                                             django_capture_on_commit_callbacks):
    client.force_login(tree.submitter)
    url = reverse("kinds:case_new", args=[mayday_campaign.pk]) + "?kind=mayday-individual"
    page = client.get(url)
    assert page.status_code == 200
    assert "id_number" in page.content.decode() and "legal_representative" not in page.content.decode()
    response = client.post(url, {**medal_post(tree.union_a1), "answers-attachments": [_pdf("职代会纪要.pdf")]})
    assert response.status_code == 302, response.content.decode()[:1500]
    case = KindCase.objects.get()
    assert case.state == S.CONFIRMING and case.name == "李四"
    assert case.organisation == tree.union_a1 and case.created_by == tree.submitter
    attachment = case.attachment_files.get()
    assert attachment.original_name == "职代会纪要.pdf" and attachment.content_type == "application/pdf"
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES

    case = _decide(client, tree.chair, case, "confirm", comment="同意")
    case = _decide(client, tree.reviewer_a, case, "forward", comment="同意")
    case = _decide(client, tree.reviewer_d, case, "approve", comment="同意")
    pass_kind_notice(case)
    assert case.state == S.DECIDING
    with django_capture_on_commit_callbacks(execute=True):
        case = _decide(client, tree.admin_d, case, "outcome_1")
    assert case.state == S.GRANTED

    client.force_login(tree.submitter)
    page = client.get(case.get_absolute_url()).content.decode()
    certificate = Certificate.objects.get()
    link = reverse("certificate_pdf", args=[certificate.pk])
    assert f'href="{link}" download' in page
    assert "110***********1232" in page and valid_id_number() not in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "李四" in text and certificate.award_title in text
    assert any("CJK" in name or "Noto" in name for name in _font_names(reader))
    # The kinds' own audit vocabulary (kinds.case.*): the notice is the campaign's, not the case's.
    actions = [entry.action for entry in history_of(case)]
    assert actions[:5] == ["kinds.case.saved", "kinds.case.submitted", "kinds.case.confirmed",
                           "kinds.case.forwarded", "kinds.case.approved"]
    assert actions[5:] == ["kinds.case.published", "kinds.case.notice_passed", "kinds.case.granted",
                           "kinds.certificate.issued"], actions


def test_the_certificate_is_rendered_on_first_download(tree, make_mayday_case, grant_case, client):
    """No on-commit worker ran: the first download renders it."""
    certificate = grant_case(make_mayday_case())
    certificate.refresh_from_db()
    assert certificate.document_id is None
    client.force_login(tree.admin_d)
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.document_id is not None


def test_a_team_draft_is_handed_in_from_its_page(tree, make_mayday_case, client):
    draft = make_mayday_case(kind="team", submit=False, name="装配车间", headcount="35")
    assert draft.state == S.DRAFT and draft.answers["headcount"] in (35, "35")
    client.force_login(tree.submitter)
    assert reverse("kinds:case_submit", args=[draft.pk]) in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(reverse("kinds:case_submit", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == S.CONFIRMING and draft.kind_version.kind.code == "mayday-team"


def test_the_union_withdraws_from_the_page(tree, make_mayday_case, client):
    case = make_mayday_case()
    client.force_login(tree.submitter)
    response = client.post(reverse("kinds:case_withdraw", args=[case.pk]),
                           {"version": case.version, "confirmed": "1", "comment": "重新推荐他人"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == S.WITHDRAWN


def test_the_decision_buttons_follow_the_step(tree, make_mayday_case, client):
    case = make_mayday_case()
    client.force_login(tree.chair)
    page = client.get(reverse("kinds:case_decide", args=[case.pk])).content.decode()
    assert 'value="confirm"' in page and 'value="outcome_1"' not in page
    client.force_login(tree.reviewer_a)
    assert client.get(reverse("kinds:case_decide", args=[case.pk])).status_code in (403, 404)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'name="decision"' not in page
    assert "甲一机械厂工会" in page  # who must act: the nominating union's chair


def _usage(response):
    return {row["organisation"].pk: {cell["kind"]: (cell["used"], cell["places"]) for cell in row["cells"]}
            for row in response.context["quota_rows"]}


def test_the_campaign_page_counts_cases_and_places_used(tree, mayday_campaign, make_mayday_case, client):
    make_mayday_case()
    make_mayday_case(submit=False, name="草稿")
    make_mayday_case(org=tree.union_b1)
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_detail", args=[mayday_campaign.pk])
    response = client.get(url)
    assert response.status_code == 200
    counts = {row["state"]: row["total"] for row in response.context["state_counts"]}
    assert counts == {S.CONFIRMING: 2}  # the district does not see union_a1's draft
    usage = _usage(response)
    assert usage[tree.town_a.pk]["mayday-individual"] == (1, 3)
    assert usage[tree.town_b.pk]["mayday-individual"] == (1, 3)
    client.force_login(tree.reviewer_b)
    response = client.get(url)
    assert [row["organisation"] for row in response.context["quota_rows"]] == [tree.town_b]


def test_a_closed_campaign_keeps_the_unions_it_had(tree, mayday_campaign, make_mayday_case, client):
    """An intermediate union added after the campaign closed has no row; one
    there when it closed keeps its row, places or not."""
    from workflows.models import Organisation, OrgKind, Quota
    from workflows.organisations.tree_changes import do_create_organisation

    make_mayday_case()
    Quota.objects.filter(scope_id=mayday_campaign.pk, organisation=tree.town_b).delete()
    KindCampaign.objects.filter(pk=mayday_campaign.pk).update(
        deadline=timezone.now() - datetime.timedelta(days=3))
    Organisation.objects.filter(pk=tree.town_b.pk).update(established_on=datetime.date(2020, 1, 1))
    later = do_create_organisation(name="新区街道总工会", code="xinqu", kind=OrgKind.INTERMEDIATE, sector="",
                                   parent=tree.district, acting_user=tree.admin_d)
    client.force_login(tree.admin_d)
    response = client.get(reverse("kinds:campaign_detail", args=[mayday_campaign.pk]))
    shown = [row["organisation"] for row in response.context["quota_rows"]]
    assert later not in shown and tree.town_a in shown and tree.town_b in shown
    assert "新区街道总工会" not in response.content.decode()


def _phone_friendly(page, url):
    assert 'name="viewport"' in page, url
    tables = re.findall(r"<table[^>]*>", page)
    assert all("responsive" in table for table in tables), (url, tables)
    assert all("data-label=" in cell for cell in re.findall(r"<td[^>]*>", page)), url


def test_the_pages_carry_phone_friendly_tables(tree, mayday_campaign, make_mayday_case, client):
    """Every table folds into labelled rows on a phone (static/css/app.css:
    table.responsive, td[data-label])."""
    make_mayday_case()
    client.force_login(tree.admin_d)
    for url in (reverse("kinds:campaign_list"), reverse("kinds:campaign_open"),
                reverse("kinds:campaign_detail", args=[mayday_campaign.pk]),
                reverse("kinds:award_list", args=[mayday_campaign.pk]), reverse("kinds:case_list")):
        _phone_friendly(client.get(url).content.decode(), url)


def test_the_case_page_carries_phone_friendly_tables(tree, make_mayday_case, client):
    case = make_mayday_case()
    client.force_login(tree.admin_d)
    _phone_friendly(client.get(case.get_absolute_url()).content.decode(), case.get_absolute_url())


def test_the_round_lists_the_files_added(tree, make_mayday_case, client):
    case = make_mayday_case()
    case = _decide(client, tree.chair, case, "confirm")
    case = _decide(client, tree.reviewer_a, case, "return", comment="请补充职代会纪要")
    client.force_login(tree.submitter)
    post = {f"answers-{k}": v for k, v in case.answers.items() if not isinstance(v, (list, dict))}
    response = client.post(reverse("kinds:case_revise", args=[case.pk]),
                           {**post, "version": case.version, "comment": "已补充",
                            "answers-attachments": [_pdf("职代会纪要.pdf")]})
    assert response.status_code == 302, response.content.decode()[:1500]
    page = client.get(case.get_absolute_url()).content.decode()
    assert re.search(r"新增附件[^<]*<ins>职代会纪要\.pdf</ins>", page)

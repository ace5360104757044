"""The May Day award through its web pages, as the personas use them."""

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.mayday.models import AwardKind, Campaign, Nomination
from workflows.models import Quota
from awards.mayday.models import NominationState as S
from tests.conftest import PDF_BYTES, pass_public_notice, valid_id_number
from workflows.audit import history_of
from workflows.models import AuditEntry, Certificate, Organisation, OrgKind


def detail_url(nomination):
    return reverse("awards:nomination_detail", args=[nomination.pk])


def fresh(nomination):
    return Nomination.objects.get(pk=nomination.pk)


def decide(client, user, nomination, decision, comment="", version=None):
    """POST a decision as `user` with the version they saw (the current one
    unless given), confirmed (a final decision's confirmation page is tested
    in test_decision_pages)."""
    client.force_login(user)
    seen = fresh(nomination).version if version is None else version
    return client.post(
        detail_url(nomination), {"decision": decision, "comment": comment, "version": seen, "confirmed": "1"}
    )


def font_names(reader):
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


def test_whole_journey_through_the_pages(tree, campaign, client, individual_form_data, django_capture_on_commit_callbacks):
    client.force_login(tree.submitter)
    create_url = reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=individual"
    page = client.get(create_url)
    assert page.status_code == 200
    assert "id_number" in page.content.decode() and "legal_representative" not in page.content.decode()

    minutes = SimpleUploadedFile("职代会纪要.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(create_url, {**individual_form_data(), "attachments": [minutes]})
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.state == S.SUBMITTED
    assert nomination.organisation == tree.union_a1 and nomination.created_by == tree.submitter
    attachment = nomination.attachments.get()
    assert attachment.original_name == "职代会纪要.pdf" and attachment.content_type == "application/pdf"

    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES

    for user in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        assert decide(client, user, nomination, "approve", comment="同意").status_code == 302
    pass_public_notice(tree, nomination)
    assert fresh(nomination).state == S.DISTRICT_APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, tree.admin_d, nomination, "award").status_code == 302
    nomination = fresh(nomination)
    assert nomination.state == S.AWARDED

    client.force_login(tree.submitter)
    page = client.get(detail_url(nomination)).content.decode()
    # The one document path: the page links to the engine's document view.
    link = reverse("certificate_pdf", args=[Certificate.objects.get().pk])
    assert f'href="{link}" download' in page
    assert "110***********1232" in page and valid_id_number() not in page

    response = client.get(reverse("awards:certificate_download", args=[nomination.pk]), follow=True)
    assert response.redirect_chain == [(link, 302)]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "".join(page.extract_text() for page in reader.pages)
    certificate = Certificate.objects.get()
    assert "李四" in text
    assert certificate.award_title in text
    assert any("CJK" in name or "Noto" in name for name in font_names(reader))

    actions = [entry.action for entry in history_of(nomination)]
    assert actions == [
        "awards.nomination.created",
        "awards.nomination.submitted",
        "awards.nomination.confirmed",
        "awards.nomination.approved",
        "awards.nomination.approved",
        "awards.nomination.published",
        "awards.nomination.notice_passed",
        "awards.nomination.awarded",
        "awards.certificate.issued",
    ]


def test_certificate_is_rendered_on_first_download(tree, make_nomination, client):
    """The worker has not rendered it yet (no on_commit here): the download does."""
    from workflows.steps.decisions import decide

    nomination = make_nomination(id_number=valid_id_number())
    for user in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=nomination, actor=user)
    pass_public_notice(tree, nomination)
    decide(case=nomination, actor=tree.admin_d, decision="award")
    certificate = Certificate.objects.get()
    assert certificate.document_id is None
    client.force_login(tree.admin_d)
    response = client.get(reverse("awards:certificate_download", args=[nomination.pk]), follow=True)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    certificate.refresh_from_db()
    assert certificate.document_id is not None


def test_edit_is_refused_once_submitted(tree, make_nomination, client):
    nomination = make_nomination(id_number=valid_id_number())
    client.force_login(tree.submitter)
    response = client.get(reverse("awards:nomination_edit", args=[nomination.pk]))
    assert response.status_code == 302 and response["Location"] == detail_url(nomination)


def test_draft_then_submit_from_the_page(tree, campaign, client, individual_form_data):
    client.force_login(tree.submitter)
    create_url = reverse("awards:nomination_create") + f"?campaign={campaign.code}&kind=team"
    data = {
        "nominee_name": "装配车间",
        "sector": "non_public",
        "legal_representative": "王五",
        "headcount": "35",
        "work_unit": "甲一机械厂",
        "deeds": "班组攻关。",
        "summary": "攻关能手。",
        "congress_discussed_on": "2024-03-01",
        "contact_phone": "13800000000",
        "action": "draft",
    }
    assert client.post(create_url, data).status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.state == S.DRAFT and nomination.kind == AwardKind.TEAM and nomination.headcount == 35
    assert decide(client, tree.submitter, nomination, "submit").status_code == 302
    assert fresh(nomination).state == S.SUBMITTED


def test_withdraw(tree, make_nomination, client):
    nomination = make_nomination(id_number=valid_id_number())
    assert decide(client, tree.submitter, nomination, "withdraw", comment="重新推荐他人").status_code == 302
    assert fresh(nomination).state == S.WITHDRAWN


def test_decision_buttons_follow_the_step(tree, make_nomination, client):
    nomination = make_nomination(id_number=valid_id_number())
    client.force_login(tree.chair)
    page = client.get(detail_url(nomination)).content.decode()
    assert 'value="approve"' in page and 'value="award"' not in page
    client.force_login(tree.reviewer_a)
    page = client.get(detail_url(nomination)).content.decode()
    assert 'name="decision"' not in page
    assert "甲一机械厂工会" in page  # who must act: the chair of the nominating union


def test_campaign_create_with_quota_table(tree, client):
    client.force_login(tree.admin_d)
    url = reverse("awards:campaign_create")
    page = client.get(url).content.decode()
    assert f"quota_{tree.town_a.pk}_individual" in page and f"quota_{tree.town_b.pk}_team" in page
    deadline = (timezone.localtime() + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "year": "2025",
        "code": "mayday-2025",
        "title": "2025年度五一劳动奖评选",
        "submission_deadline": deadline,
        "offers_individual_award": "on",
        "offers_team_award": "on",
        "certificate_number_format": "涪工奖〔{year}〕第{seq:04d}号",
        "issuer": "",
        "notice_days": "7",
        "published_fields": ["kind", "nominee_name", "organisation", "summary"],
        "deadline_confirm": "3", "deadline_review_intermediate": "8", "deadline_review_district": "8",
        "deadline_signoff": "10", "deadline_decide": "5", "deadline_revise": "10",
    }
    for org in (tree.town_a, tree.town_b):
        for kind in AwardKind.values:
            data[f"quota_{org.pk}_{kind}"] = "2" if org == tree.town_a else "1"
    # First the confirmation: what the campaign uses and every union it reaches; nothing saved yet.
    confirmation = client.post(url, data)
    assert confirmation.status_code == 200 and not Campaign.objects.exists()
    page = confirmation.content.decode()
    assert tree.union_a1.name in page and tree.union_b1.name in page and "2025年度五一劳动奖评选" in page
    assert {tree.union_a1, tree.union_a2, tree.union_b1} <= set(confirmation.context["units"])
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="mayday-2025")
    assert campaign.district == tree.district and campaign.created_by == tree.admin_d
    assert campaign.kinds == [AwardKind.INDIVIDUAL, AwardKind.TEAM]
    assert campaign.notice_days == 7
    assert campaign.notice_fields == ["kind", "nominee_name", "organisation", "summary"]
    assert campaign.step_deadline_days["confirm"] == 3 and campaign.step_deadline_days["decide"] == 5
    quotas = {(q.organisation_id, q.category): q.count for q in Quota.objects.filter(awards_campaign=campaign)}
    assert quotas == {
        (tree.town_a.pk, "individual"): 2, (tree.town_a.pk, "team"): 2,
        (tree.town_b.pk, "individual"): 1, (tree.town_b.pk, "team"): 1,
    }
    assert history_of(campaign).get().action == "awards.campaign.opened"


def test_campaign_create_refuses_bad_input(tree, client):
    client.force_login(tree.admin_d)
    response = client.post(
        reverse("awards:campaign_create"),
        {"year": "2025", "code": "c2025", "title": "标题", "submission_deadline": "2000-01-01T00:00",
         "certificate_number_format": "第{nonsense}号"},
    )
    assert response.status_code == 400  # the engine's set-up page: the form again, with what was typed
    assert not Campaign.objects.exists()
    form = response.context["form"]
    assert {"submission_deadline", "certificate_number_format"} <= set(form.errors)
    assert "标题" in response.content.decode()


def test_campaign_detail_counts_and_quota_usage(tree, campaign, make_nomination, client):
    make_nomination(id_number=valid_id_number())
    make_nomination(submit=False, id_number=valid_id_number("11010119900101001"), nominee_name="草稿")
    make_nomination(org=tree.union_b1, submitter=tree.submitter_b, id_number=valid_id_number("11010119900101002"))
    client.force_login(tree.admin_d)
    response = client.get(reverse("awards:campaign_detail", args=[campaign.code]))
    assert response.status_code == 200
    counts = {row["state"]: row["total"] for row in response.context["state_counts"]}
    assert counts == {S.SUBMITTED: 2}  # the district does not see union_a1's draft
    usage = {
        row["organisation"].pk: {cell["kind"]: (cell["used"], cell["places"]) for cell in row["cells"]}
        for row in response.context["quota_rows"]
    }
    assert usage[tree.town_a.pk]["individual"] == (1, 3)
    assert usage[tree.town_b.pk]["individual"] == (1, 3)

    client.force_login(tree.reviewer_b)
    response = client.get(reverse("awards:campaign_detail", args=[campaign.code]))
    assert [row["organisation"] for row in response.context["quota_rows"]] == [tree.town_b]


def test_a_closed_campaign_shows_the_unions_it_had(tree, campaign, make_nomination, client):
    """An intermediate union set up after the campaign closed does not grow a
    0/0 quota row on its page; while a campaign is open, the district sees
    every union, places or not."""
    from tests.conftest import make_org
    from workflows.models import OrgKind

    make_nomination(id_number=valid_id_number())
    later = make_org("新区街道总工会", "xinqu", OrgKind.INTERMEDIATE, tree.district)
    client.force_login(tree.admin_d)
    url = reverse("awards:campaign_detail", args=[campaign.code])
    assert later in [row["organisation"] for row in client.get(url).context["quota_rows"]]
    Campaign.objects.filter(pk=campaign.pk).update(submission_deadline=timezone.now() - datetime.timedelta(days=1))
    shown = [row["organisation"] for row in client.get(url).context["quota_rows"]]
    assert later not in shown and tree.town_a in shown


def test_a_closed_campaign_shows_the_tree_as_it_was_when_it_closed(tree, campaign, client):
    """The tree as it was: an intermediate union added (through the admin's
    service, so dated) after the campaign closed has no row; one that was
    there when it closed keeps its row, places or not."""
    from workflows.organisations.tree_changes import do_create_organisation

    Campaign.objects.filter(pk=campaign.pk).update(submission_deadline=timezone.now() - datetime.timedelta(days=3))
    Organisation.objects.filter(pk=tree.town_b.pk).update(established_on=datetime.date(2020, 1, 1))
    later = do_create_organisation(name="新区街道总工会", code="xinqu", kind=OrgKind.INTERMEDIATE, sector="",
                                   parent=tree.district, acting_user=tree.admin_d)
    assert later.established_on == timezone.localdate()
    client.force_login(tree.admin_d)
    rows = client.get(reverse("awards:campaign_detail", args=[campaign.code])).context["quota_rows"]
    shown = [row["organisation"] for row in rows]
    assert later not in shown and tree.town_b in shown
    assert "新区街道总工会" not in client.get(reverse("awards:campaign_detail", args=[campaign.code])).content.decode()


def test_nomination_list_filters_search_and_pages(tree, campaign, make_nomination, client):
    make_nomination(org=tree.union_b1, submitter=tree.submitter_b, id_number=valid_id_number("11010119900101002"),
                    nominee_name="乙院医生")
    Nomination.objects.bulk_create(
        Nomination(
            campaign=campaign, kind="team", organisation=tree.union_a1, nominee_name=f"班组{i:02d}",
            deeds="事迹", summary="摘要", congress_discussed_on=datetime.date(2024, 3, 1), created_by=tree.submitter,
        )
        for i in range(26)
    )
    client.force_login(tree.admin_d)
    response = client.get(reverse("awards:nomination_list"))
    assert response.context["page_obj"].paginator.count == 1  # drafts stay with their union
    assert "乙院医生" in response.content.decode()

    client.force_login(tree.submitter)
    url = reverse("awards:nomination_list")
    first = client.get(url)
    assert len(first.context["page_obj"].object_list) == 25 and first.context["page_obj"].paginator.count == 26
    assert 'class="badge draft"' in first.content.decode()
    assert len(client.get(url, {"page": 2}).context["page_obj"].object_list) == 1
    assert [n.nominee_name for n in client.get(url, {"q": "班组07"}).context["page_obj"]] == ["班组07"]
    assert client.get(url, {"state": "submitted"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"kind": "team", "campaign": campaign.code}).context["page_obj"].paginator.count == 26
    assert client.get(url, {"organisation": tree.union_a1.pk}).context["page_obj"].paginator.count == 26
    # A filter value outside the choices is ignored, not an error.
    assert client.get(url, {"state": "nonsense"}).status_code == 200


def test_award_list_groups_by_award_then_union(tree, campaign, make_nomination, client, monkeypatch):
    from awards.mayday import documents
    from workflows.documents import rendering
    from workflows.steps.decisions import decide

    def award(nomination):
        for user in (tree.chair, tree.reviewer_a, tree.reviewer_d):
            decide(decision="approve", case=nomination, actor=user)
        pass_public_notice(tree, nomination)
        decide(case=nomination, actor=tree.admin_d, decision="award")

    award(make_nomination(id_number=valid_id_number(), nominee_name="获奖人甲"))
    award(make_nomination(kind="team", id_number="", nominee_name="先锋班组"))
    client.force_login(tree.admin_d)
    response = client.get(reverse("awards:award_list", args=[campaign.code]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [group["kind"] for group in groups] == ["individual", "team"]
    assert groups[0]["organisations"][0]["organisation"] == tree.union_a1
    assert "涪工奖〔2024〕第0001号" in response.content.decode()

    monkeypatch.setattr(documents, "award_list_html", lambda c: f"<p>{c.code}</p>")
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: b"%PDF-award-list " + html.encode())
    response = client.get(reverse("awards:award_list_pdf", args=[campaign.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-award-list <p>mayday-test</p>"
    response = client.get(reverse("awards:award_list_xlsx", args=[campaign.code]))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_pages_carry_phone_friendly_tables(tree, campaign, make_nomination, client):
    """Every table of every page folds into labelled rows on a phone
    (static/css/app.css: table.responsive, td[data-label])."""
    nomination = make_nomination(id_number=valid_id_number())
    client.force_login(tree.admin_d)
    urls = [
        reverse("awards:campaign_list"),
        reverse("awards:campaign_create"),
        reverse("awards:campaign_detail", args=[campaign.code]),
        reverse("awards:award_list", args=[campaign.code]),
        reverse("awards:nomination_list"),
        detail_url(nomination),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert 'name="viewport"' in page
        tables = re.findall(r"<table[^>]*>", page)
        assert all('class="responsive"' in t for t in tables), url
        cells = re.findall(r"<td[^>]*>", page)
        assert all("data-label=" in cell for cell in cells), url


def test_admin_pages_and_read_only_records(tree, campaign, make_nomination, client, django_user_model):
    nomination = make_nomination(id_number=valid_id_number())
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(superuser)
    for name, args in [
        ("admin:awards_campaign_change", [campaign.pk]),
        ("admin:awards_nomination_change", [nomination.pk]),
        ("admin:workflows_organisation_changelist", []),
        ("admin:workflows_membership_changelist", []),
        ("admin:auth_user_change", [tree.submitter.pk]),
        ("admin:workflows_auditentry_changelist", []),
        ("admin:workflows_certificate_changelist", []),
        ("admin:workflows_document_changelist", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    page = client.get(reverse("admin:awards_nomination_change", args=[nomination.pk])).content.decode()
    assert 'name="state"' not in page and 'name="nominee_name"' not in page  # shown, never editable
    # Cases and campaigns are made through their services (audited), not here.
    assert client.get(reverse("admin:awards_campaign_add")).status_code == 403
    response = client.post(reverse("admin:awards_nomination_change", args=[nomination.pk]), {"nominee_name": "改名"})
    assert response.status_code == 403 and Nomination.objects.get(pk=nomination.pk).nominee_name != "改名"
    campaign_page = client.get(reverse("admin:awards_campaign_change", args=[campaign.pk])).content.decode()
    assert 'name="code"' not in campaign_page and 'name="title"' in campaign_page
    # A correction of the campaign's settings there is audited.
    from django.forms.models import model_to_dict

    data = {k: v for k, v in model_to_dict(campaign).items() if v is not None and k not in ("district", "code", "year")}
    data.update({
        "title": "更正后的标题", "notice_days": 7, "notice_fields": '["nominee_name"]',
        "step_deadline_days": '{"confirm": 3}',
        "submission_deadline_0": timezone.localtime(campaign.submission_deadline).strftime("%Y-%m-%d"),
        "submission_deadline_1": timezone.localtime(campaign.submission_deadline).strftime("%H:%M:%S"),
        "quotas-TOTAL_FORMS": "0", "quotas-INITIAL_FORMS": "0",
    })
    for flag in ("offers_unit_award", "offers_individual_award", "offers_team_award"):
        data[flag] = "on" if data.pop(flag) else ""
    response = client.post(reverse("admin:awards_campaign_change", args=[campaign.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.title == "更正后的标题" and campaign.notice_days == 7
    edited = history_of(campaign).get(action="awards.campaign.edited")
    assert edited.actor == superuser and "title" in edited.data and "notice_days" in edited.data

    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:workflows_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:workflows_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    response = client.post(reverse("admin:workflows_auditentry_change", args=[entry.pk]), {"comment": "changed"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).comment == entry.comment
    changelist = client.get(reverse("admin:workflows_auditentry_changelist"))
    assert 'name="action"' not in changelist.content.decode()  # no bulk actions, not even delete


def test_nomination_list_exports_the_filtered_nominations_to_excel(tree, campaign, make_nomination, client):
    """The engine's list workbook: every filtered row (not the page), the
    list's columns, the submission time a typed date-time cell."""
    from openpyxl import load_workbook

    submitted = make_nomination(nominee_name="张三")
    make_nomination(submit=False, id_number=valid_id_number("11010119900101002"), nominee_name="李四")
    client.force_login(tree.submitter)
    page = client.get(reverse("awards:nomination_list"), {"state": "submitted"}).content.decode()
    assert "state=submitted&amp;format=xlsx" in page
    response = client.get(reverse("awards:nomination_list"), {"state": "submitted", "format": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名/名称" and rows[0][4:] == ("状态", "提交时间")
    assert [row[0] for row in rows[1:]] == ["张三"]
    assert isinstance(rows[1][5], datetime.datetime) and rows[1][5].date() == timezone.localtime(submitted.submitted_at).date()  # local time, as the page shows it

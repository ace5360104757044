"""The printed application form (推荐审批表) of a case: every answer of the
version's form, the files by name, an opinion box for each deciding step of
the route (the opinions and the notice record: test_printed_dossier.py); ID
numbers masked but for the district, whose full copy is recorded; read as
the case's page is (404 outside)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from awards.kinds import cases as case_services
from awards.kinds.printed import opinion_blocks
from awards.roles import Role
from tests.awards.kinds.conftest import filled
from tests.conftest import make_org, make_user
from workflows.audit import history_of
from workflows.models import OrgKind
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db


def _text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    # Text extraction may space out CJK glyphs: compare without whitespace.
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_printed_form_holds_every_answer_the_files_and_a_box_per_step(
        client, tree, make_kind, open_campaign):
    version = make_kind(steps=("confirm", "intermediate_review", "notice"), title="测试荣誉称号")
    campaign = open_campaign(version)
    form = case_services.form_class(version)(
        filled(version, 7, name="王小明"),
        {"proof": SimpleUploadedFile("事迹证明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")})
    assert form.is_valid(), form.errors
    case = case_services.do_create_case(campaign=campaign, organisation=tree.union_a1, name="王小明", form=form,
                                        actor=tree.submitter, submit=True)
    full = case.answers["id_number"]
    url = reverse("kinds:case_printed", args=[case.pk])

    client.force_login(tree.chair)
    assert url in client.get(case.get_absolute_url()).content.decode()
    text = _text(client.get(url + "?full=1"))  # not the district: masked all the same
    assert "测试荣誉称号推荐审批表" in text and tree.union_a1.name in text and "王小明" in text
    assert "长期从事工会工作，成绩突出。" in text and "事迹证明.pdf" in text
    assert full not in text and "13800138000" not in text and full[-4:] in text
    # An opinion box for each of the route's four deciding steps, titled as
    # the route names it, and the notice's record in its place.
    with translation.override("zh-hans"):
        labels = ["".join(str(block["title"]).split()) for block in opinion_blocks(case) if "title" in block]
    assert len(labels) == 4 and all(label in text for label in labels), labels
    assert text.count("签字（盖章）") == 4 and "公示尚未公示。" in text
    assert "kinds.case.identity_viewed" not in [e.action for e in history_of(case)]

    decide(case=case, actor=tree.chair, decision="confirm")
    decide(case=case, actor=tree.reviewer_a, decision="forward")
    client.force_login(tree.reviewer_d)
    assert full not in _text(client.get(url))
    assert full in _text(client.get(url + "?full=1"))
    [entry] = [e for e in history_of(case) if e.action == "kinds.case.identity_viewed"]
    assert entry.actor == tree.reviewer_d and entry.data["where"] == "printed_form"


def test_the_printed_form_is_read_as_the_case_page_is(client, tree, make_kind, open_campaign, make_case):
    case = make_case(open_campaign(make_kind()))
    url = reverse("kinds:case_printed", args=[case.pk])
    other = make_org("邻区总工会", "other-district", OrgKind.DISTRICT)
    for user in (make_user("admin_other", (other, Role.DISTRICT_ADMIN)), tree.reviewer_b, tree.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404, user.username
    client.logout()
    assert client.get(url).status_code == 302


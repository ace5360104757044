"""Who reaches which page. The case belongs to union_a1 (town A's branch):
the other branch and outsiders get 404, people who see it but may not do
this get 403, anonymous visitors are sent to log in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.mayday import services
from workflows.documents.case_certificates import certificate_of
from workflows.steps.decisions import decide
from awards.mayday.models import Nomination
from awards.mayday.models import NominationState as S
from tests.conftest import PDF_BYTES, pass_public_notice, valid_id_number
from workflows.attachments.services import from_upload
from workflows.documents.rendering import store_document

PERSONAS = ["submitter", "chair", "reviewer_a", "reviewer_b", "reviewer_d", "admin_d", "outsider", "anonymous"]


def submitted(tree, make_nomination):
    nomination = make_nomination(id_number=valid_id_number(), submit=False)
    upload = SimpleUploadedFile("纪要.pdf", PDF_BYTES, content_type="application/pdf")
    attachment = from_upload(upload)
    services.nomination_save_draft(nomination=nomination, actor=tree.submitter, attachments=[attachment])
    services.nomination_submit(nomination=nomination, actor=tree.submitter)
    return nomination


def returned(tree, make_nomination):
    nomination = make_nomination(id_number=valid_id_number())
    decide(decision="return", case=nomination, actor=tree.chair, comment="补充")
    return nomination


def awarded(tree, make_nomination):
    nomination = make_nomination(id_number=valid_id_number())
    for user in (tree.chair, tree.reviewer_a, tree.reviewer_d):
        decide(decision="approve", case=nomination, actor=user)
    pass_public_notice(tree, nomination)
    decide(case=nomination, actor=tree.admin_d, decision="award")
    # A stand-in PDF: this test is about access, not rendering.
    certificate = certificate_of(nomination)
    certificate.document = store_document(
        kind="certificate", title=certificate.number, data=PDF_BYTES, filename="c.pdf", subject=certificate
    )
    certificate.save(update_fields=["document"])
    return nomination


def draft(tree, make_nomination):
    return make_nomination(id_number=valid_id_number(), submit=False)


# view: (how to build the request from the case, expected status per persona
# in PERSONAS order but anonymous)
VIEWS = {
    "campaign_list": (None, lambda c, n: ("get", reverse("awards:campaign_list"), None),
                      [200, 200, 200, 200, 200, 200, 200]),
    "campaign_create": (None, lambda c, n: ("get", reverse("awards:campaign_create"), None),
                        [403, 403, 403, 403, 403, 200, 403]),
    # An incomplete form comes back with its errors as a 400 (the engine's set-up page).
    "campaign_create_post": (None, lambda c, n: ("post", reverse("awards:campaign_create"), {"year": "2030"}),
                             [403, 403, 403, 403, 403, 400, 403]),
    "campaign_detail": (None, lambda c, n: ("get", reverse("awards:campaign_detail", args=[c.code]), None),
                        [200, 200, 200, 200, 200, 200, 404]),
    "award_list": (awarded, lambda c, n: ("get", reverse("awards:award_list", args=[c.code]), None),
                   [200, 200, 200, 200, 200, 200, 404]),
    "award_list_pdf": (None, lambda c, n: ("get", reverse("awards:award_list_pdf", args=[c.code]), None),
                       [403, 403, 403, 403, 200, 200, 404]),
    "award_list_xlsx": (None, lambda c, n: ("get", reverse("awards:award_list_xlsx", args=[c.code]), None),
                        [403, 403, 403, 403, 200, 200, 404]),
    "nomination_list": (submitted, lambda c, n: ("get", reverse("awards:nomination_list"), None),
                        [200, 200, 200, 200, 200, 200, 200]),
    "nomination_create": (
        None,
        lambda c, n: ("get", reverse("awards:nomination_create") + f"?campaign={c.code}&kind=individual", None),
        [200, 403, 403, 403, 403, 403, 404],
    ),
    "nomination_detail": (submitted, lambda c, n: ("get", reverse("awards:nomination_detail", args=[n.pk]), None),
                          [200, 200, 200, 404, 200, 200, 404]),
    "draft_detail": (draft, lambda c, n: ("get", reverse("awards:nomination_detail", args=[n.pk]), None),
                     [200, 200, 404, 404, 404, 404, 404]),
    "nomination_decide": (
        submitted,
        lambda c, n: ("post", reverse("awards:nomination_detail", args=[n.pk]),
                      {"decision": "approve", "version": n.version, "comment": ""}),
        [403, 302, 403, 404, 403, 403, 404],
    ),
    "nomination_edit": (returned, lambda c, n: ("get", reverse("awards:nomination_edit", args=[n.pk]), None),
                        [200, 403, 403, 404, 403, 403, 404]),
    "attachment_download": (
        submitted,
        lambda c, n: ("get", reverse("attachment_download", args=[n.attachments.get().pk]), None),
        [200, 200, 200, 404, 200, 200, 404],
    ),
    "certificate_download": (
        awarded,
        lambda c, n: ("get", reverse("awards:certificate_download", args=[n.pk]), None),
        # To the engine's document view (tests/workflows/test_document_access.py).
        [302, 302, 403, 404, 302, 302, 404],
    ),
}

CASES = [
    pytest.param(view, persona, id=f"{view}-{persona}") for view in VIEWS for persona in PERSONAS
]


@pytest.fixture
def stub_award_list_documents(monkeypatch):
    from awards.mayday import documents

    monkeypatch.setattr(documents, "award_list_pdf", lambda campaign: b"%PDF-stub")
    monkeypatch.setattr(documents, "award_list_xlsx", lambda campaign: b"PK-stub")


@pytest.mark.parametrize("view,persona", CASES)
def test_access(view, persona, tree, campaign, make_nomination, client, stub_award_list_documents):
    build, request_of, expected = VIEWS[view]
    nomination = build(tree, make_nomination) if build else None
    if nomination is not None:
        nomination = Nomination.objects.get(pk=nomination.pk)
    state_before = nomination.state if nomination else None
    method, url, data = request_of(campaign, nomination)
    if persona != "anonymous":
        client.force_login(getattr(tree, persona))

    response = getattr(client, method)(url, data or {})

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == expected[PERSONAS.index(persona)]
    if view == "nomination_decide" and response.status_code != 302:
        assert Nomination.objects.get(pk=nomination.pk).state == state_before
    if view == "nomination_list":
        sees_it = persona in ("submitter", "chair", "reviewer_a", "reviewer_d", "admin_d")
        assert (nomination.nominee_name in response.content.decode()) == sees_it


def test_the_other_branch_sees_its_own_and_not_ours(tree, campaign, make_nomination, client):
    ours = make_nomination(id_number=valid_id_number(), nominee_name="甲方候选人")
    theirs = make_nomination(
        org=tree.union_b1, submitter=tree.submitter_b, id_number=valid_id_number("11010119900101002"),
        nominee_name="乙方候选人",
    )
    client.force_login(tree.reviewer_b)
    page = client.get(reverse("awards:nomination_list")).content.decode()
    assert "乙方候选人" in page and "甲方候选人" not in page
    assert client.get(reverse("awards:nomination_detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("awards:nomination_detail", args=[ours.pk])).status_code == 404
    # Filtering by the other branch's union does not reveal it either.
    response = client.get(reverse("awards:nomination_list"), {"organisation": tree.union_a1.pk})
    assert "甲方候选人" not in response.content.decode()


def test_old_download_address_redirects_only_for_its_own_nomination(tree, campaign, make_nomination, client):
    """The address from before the engine held the attachments (case, old
    id: the migration keeps it as legacy_id) still works, for its case only."""
    ours = submitted(tree, make_nomination)
    attachment = ours.attachments.get()
    attachment.legacy_id = 41
    attachment.save(update_fields=["legacy_id"])
    other = make_nomination(id_number=valid_id_number("11010119900101002"), nominee_name="另一人")
    client.force_login(tree.submitter)
    assert client.get(reverse("awards:attachment_download", args=[other.pk, 41])).status_code == 404
    response = client.get(reverse("awards:attachment_download", args=[ours.pk, 41]))
    assert response.status_code == 301 and response["Location"] == reverse("attachment_download", args=[attachment.pk])
    client.force_login(tree.reviewer_b)  # the other branch: not told the nomination exists
    assert client.get(reverse("awards:attachment_download", args=[ours.pk, 41])).status_code == 404


def test_certificate_before_award_is_404(tree, campaign, make_nomination, client):
    nomination = make_nomination(id_number=valid_id_number())
    client.force_login(tree.submitter)
    assert client.get(reverse("awards:certificate_download", args=[nomination.pk])).status_code == 404
    assert nomination.state == S.SUBMITTED

"""The documents module: page sizes and fonts, storage that never
overwrites, tamper detection, certificate revocation and its views."""

import io

import pytest
import segno
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from workflows.audit import ACTION_LABELS, OTHER_ACTION, action_label, history_of, register_action_labels
from workflows.documents.rendering import (
    certificate_context,
    html_to_pdf,
    page_context,
    render_certificates_pdf,
    render_pdf,
    store_document,
    verification_url,
)
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Certificate, CertificateStatus, Document
from workflows.documents.services import certificate_revoke

from ..conftest import make_org, make_user

MM = 72 / 25.4


def pdf_text(data):
    """(the reader, the text of every page) of a PDF's bytes."""
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def page_mm(page):
    box = page.mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


def qr_matrix(image):
    """The modules of a one-pixel-per-module QR image with a 1-module border."""
    image = image.convert("L")
    width, height = image.size
    return [[image.getpixel((x, y)) < 128 for x in range(1, width - 1)] for y in range(1, height - 1)]


def drawn_xobjects(page):
    """Names of the XObjects the page's content actually draws (a chunk's
    pages share one resource dictionary listing every image of the chunk)."""
    from pypdf.generic import ContentStream

    content = ContentStream(page.get_contents(), page.pdf)
    return {str(operands[0]).lstrip("/") for operands, operator in content.operations if operator == b"Do"}


def page_qr_url(page):
    """The verification URL whose QR code is the page's image (compared
    module by module with segno's encoding of each candidate URL; there is
    no QR decoder here, so the test asks which certificate's URL it is)."""
    drawn = [image for image in page.images if image.name.rsplit(".", 1)[0].lstrip("/") in drawn_xobjects(page)]
    assert len(drawn) == 1
    matrix = qr_matrix(drawn[0].image)
    for certificate in Certificate.objects.all():
        url = verification_url(certificate)
        expected = [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
        if expected == matrix:
            return url
    return None


def font_names(page):
    fonts = page["/Resources"].get("/Font", {})
    return [str(f.get_object()["/BaseFont"]) for f in fonts.values()]


def drawn_font_names(page):
    """Names of the fonts the page's text is actually set in (`Tf` in its
    content; pages of one render may share a resource dictionary listing
    every font of the document)."""
    from pypdf.generic import ContentStream

    fonts = page["/Resources"].get("/Font", {})
    content = ContentStream(page.get_contents(), page.pdf)
    used = {operands[0] for operands, operator in content.operations if operator == b"Tf"}
    return [str(fonts[name].get_object()["/BaseFont"]) for name in used]


def is_cjk_font(name):
    # Subset fonts are named "ABCDEF+NotoSerifCJKsc-Regular" and the like.
    return "CJK" in name or "Noto" in name


# Chinese text on two pages, through the documents module's own base layout
# (the page size and the CJK font stack come from page_context).
TWO_PAGES = (
    '{% extends "documents/base_print.html" %}{% block body %}'
    '<h1>推荐审批表</h1><p>区总工会 五一劳动奖章</p>'
    '<p style="break-before: page">第二页：职工代表大会意见</p>{% endblock %}'
)


@pytest.mark.parametrize(
    "size,orientation,expected",
    [("A4", "portrait", (210, 297)), ("A4", "landscape", (297, 210)), ("A3", "portrait", (297, 420)), ("A3", "landscape", (420, 297))],
)
def test_page_sizes_and_cjk_font(size, orientation, expected):
    from django.template import engines

    html = engines["django"].from_string(TWO_PAGES).render(page_context(size, orientation))
    pdf = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        assert page_mm(page) == expected
        assert any(is_cjk_font(name) for name in drawn_font_names(page)), drawn_font_names(page)
    assert "职工代表大会" in pdf.pages[1].extract_text()


def test_render_pdf_sets_the_page(tree):
    pdf = PdfReader(io.BytesIO(render_pdf("documents/base_print.html", {}, size="A3", orientation="landscape")))
    assert page_mm(pdf.pages[0]) == (420, 297)


def test_certificate_pdf_has_text_qr_and_embedded_cjk_font(make_mayday_case, grant_case):
    certificate = grant_case(make_mayday_case())
    pdf = PdfReader(io.BytesIO(render_certificates_pdf([certificate])))
    page = pdf.pages[0]
    assert page_mm(page) == (297, 210)
    text = page.extract_text()
    assert certificate.holder_name in text and certificate.number in text
    assert certificate_context(certificate)["short_code"] in text
    assert any(is_cjk_font(name) for name in drawn_font_names(page))
    assert page_qr_url(page) == verification_url(certificate)


def test_the_certificate_qr_follows_the_site_address(make_mayday_case, grant_case, settings):
    """Served on another port (make run PORT=8101 sets SITE_URL), the QR code
    printed on a certificate leads there."""
    settings.SITE_URL = "http://127.0.0.1:8101"
    certificate = grant_case(make_mayday_case())
    page = PdfReader(io.BytesIO(render_certificates_pdf([certificate]))).pages[0]
    assert page_qr_url(page).startswith("http://127.0.0.1:8101/verify/")


def test_stored_document_is_never_overwritten(tree):
    first = store_document(kind="test", title="a", data=b"%PDF-1 one", filename="same.pdf")
    second = store_document(kind="test", title="b", data=b"%PDF-1 two", filename="same.pdf")
    assert first.file.name != second.file.name
    with first.file.open("rb") as f:
        assert f.read() == b"%PDF-1 one"
    first.sha256 = "0" * 64
    with pytest.raises(PermissionError):
        first.save()


def test_verify_documents_detects_tampering_and_missing_files(tree, capsys):
    intact = store_document(kind="certificate", title="ok", data=b"%PDF-1 intact", filename="ok.pdf")
    call_command("verify_documents")
    assert "1 documents checked, 0 missing or changed" in capsys.readouterr().out

    tampered = store_document(kind="certificate", title="bad", data=b"%PDF-1 original", filename="bad.pdf")
    with open(tampered.file.path, "wb") as f:
        f.write(b"%PDF-1 forged")
    with pytest.raises(CommandError) as raised:
        call_command("verify_documents")
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert f"MISMATCH  #{tampered.pk}" in err and f"#{intact.pk}" not in err

    missing = store_document(kind="certificate", title="gone", data=b"%PDF-1 gone", filename="gone.pdf")
    missing.file.storage.delete(missing.file.name)
    with pytest.raises(CommandError):
        call_command("verify_documents")
    assert f"MISSING   #{missing.pk}" in capsys.readouterr().err


# Revocation -----------------------------------------------------------------

@pytest.fixture
def certificate(make_mayday_case, grant_case):
    return grant_case(make_mayday_case())


def test_revoke_needs_the_district_admin(tree, certificate):
    other_district = make_org("另一区总工会", "other-district", "district")
    other_admin = make_user("admin_other", (other_district, "district_admin"))
    for user in (tree.reviewer_d, tree.chair, tree.submitter, other_admin):
        with pytest.raises(NotAllowed):
            certificate_revoke(certificate=certificate, actor=user, reason="理由")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_revoke_needs_a_reason(tree, certificate):
    with pytest.raises(RuleViolation):
        certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="   ")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_revoke_is_audited_on_the_case_and_happens_once(tree, certificate):
    certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="发生安全事故", ip="192.0.2.1")
    stored = Certificate.objects.get(pk=certificate.pk)
    assert stored.status == CertificateStatus.REVOKED
    assert stored.revoked_on == timezone.localdate() and stored.revoked_reason == "发生安全事故"
    entry = list(history_of(certificate.subject))[-1]
    assert entry.action == "workflows.certificate.revoked"
    assert entry.actor == tree.admin_d and entry.role == "district_admin" and entry.organisation == tree.district
    assert entry.comment == "发生安全事故" and entry.ip == "192.0.2.1"
    assert entry.data["certificate_id"] == certificate.pk
    with pytest.raises(AlreadyHandled):
        certificate_revoke(certificate=Certificate.objects.get(pk=certificate.pk), actor=tree.admin_d, reason="再次")


def test_revoke_view(client, tree, certificate):
    url = reverse("certificate_revoke", args=[certificate.pk])
    client.force_login(tree.reviewer_b)  # another branch: the certificate does not exist for them
    assert client.get(url).status_code == 404
    client.force_login(tree.reviewer_a)  # sees it, may not revoke
    assert client.get(url).status_code == 403
    client.force_login(tree.admin_d)
    assert client.get(url).status_code == 200
    blank = client.post(url, {"reason": ""})
    assert blank.status_code == 200 and blank.context["form"].errors["reason"]
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID
    response = client.post(url, {"reason": "材料造假"})
    assert response.status_code == 302
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.REVOKED
    detail = client.get(reverse("certificate_detail", args=[certificate.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "材料造假" in detail and "workflows.certificate.revoked" not in detail
    with translation.override("en"):
        assert str(action_label("workflows.certificate.revoked")) in detail


def test_certificate_pages_are_scoped(client, tree, make_mayday_case, grant_case):
    mine = grant_case(make_mayday_case())
    theirs = grant_case(make_mayday_case(org=tree.union_b1, name="李四"))
    client.force_login(tree.reviewer_b)
    listing = client.get(reverse("certificate_list")).content.decode()
    assert theirs.number in listing and mine.number not in listing
    assert client.get(reverse("certificate_detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("certificate_pdf", args=[mine.pk])).status_code == 404
    client.force_login(tree.outsider)
    assert mine.number not in client.get(reverse("certificate_list")).content.decode()
    client.force_login(tree.admin_d)
    listing = client.get(reverse("certificate_list"), {"q": "李四"}).content.decode()
    assert theirs.number in listing and mine.number not in listing
    client.logout()
    assert client.get(reverse("certificate_list")).status_code == 302


def test_layout_preview_is_for_the_district_admin_and_not_stored(client, tree):
    client.force_login(tree.reviewer_d)
    assert client.get(reverse("certificate_preview")).status_code == 403
    client.force_login(tree.admin_d)
    assert client.get(reverse("certificate_preview")).status_code == 200
    assert client.get(reverse("certificate_preview_pdf", args=["nonsense"])).status_code == 404
    response = client.get(reverse("certificate_preview_pdf", args=["team"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "工人先锋号" in text and "样" in text
    assert not Document.objects.exists() and not Certificate.objects.exists()


# History labels ---------------------------------------------------------------

def _is_module(dotted):
    import importlib.util

    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def logged_action_codes():
    """Every audit action code written in the project's code: a string
    literal shaped app.thing.verb (some reach log_action through a helper's
    argument, so the literals are collected wherever they stand)."""
    import ast
    import re
    from pathlib import Path

    from workflows.background.outbox import _HANDLERS as outbox_kinds
    from workflows.notifications.events import is_registered

    from django.conf import settings

    shape = re.compile(r"^(workflows|ballots|awards|evaluations)\.[a-z_]+\.[a-z_]+$")
    codes = set()
    for app in ("workflows", "ballots", "awards", "evaluations"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and shape.match(node.value):
                    if _is_module(node.value) or is_registered(node.value) or node.value in outbox_kinds:
                        continue  # a module's dotted path, a notification event or an outbox kind, not an action code
                    codes.add(node.value)
    return codes


def test_every_logged_action_has_a_label():
    codes = logged_action_codes()
    assert {"workflows.certificate.revoked", "awards.nomination.approved", "workflows.task.reassigned"} <= codes
    assert sorted(code for code in codes if code not in ACTION_LABELS) == []


def test_an_unknown_action_never_shows_its_code(monkeypatch):
    monkeypatch.setattr("workflows.audit.ACTION_LABELS", dict(ACTION_LABELS))
    assert action_label("someapp.thing.done") is OTHER_ACTION
    register_action_labels({"someapp.thing.done": "Thing done"})
    assert action_label("someapp.thing.done") == "Thing done"
    with pytest.raises(ValueError):
        register_action_labels({"undotted": "x"})
    with translation.override("en"):
        assert "." not in str(action_label("nothing.known.here"))


def test_history_on_the_case_page_uses_labels(client, tree, certificate):
    certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="材料造假")
    client.force_login(tree.admin_d)
    page = client.get(certificate.subject.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "材料造假" in page
    assert "workflows.certificate" not in page and "kinds.case." not in page and "kinds.certificate." not in page
    with translation.override("en"):
        for code in ("workflows.certificate.revoked", "kinds.certificate.issued", "kinds.case.granted"):
            assert str(action_label(code)) in page

"""A revoked certificate's download carries 已撤销 and the date on its face;
the stored original is untouched."""

import io

from django.urls import reverse
from pypdf import PdfReader

from workflows.documents.rendering import file_sha256, issue_certificate_document
from workflows.documents.services import certificate_revoke


def _text(data):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _download(client, user, certificate):
    client.force_login(user)
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_revoked_certificate_download_is_marked_and_original_kept(client, tree, make_mayday_case, grant_case):
    certificate = grant_case(make_mayday_case())
    document = issue_certificate_document(certificate.pk)
    certificate.refresh_from_db()
    valid = _download(client, tree.admin_d, certificate)
    assert "已撤销" not in _text(valid)
    stored_hash = file_sha256(document)
    assert stored_hash == document.sha256

    certificate_revoke(certificate=certificate, actor=tree.admin_d, reason="事迹失实")
    certificate.refresh_from_db()
    marked = _download(client, tree.admin_d, certificate)
    text = _text(marked)
    assert "已撤销" in text
    assert certificate.revoked_on.strftime("%Y年") in text and f"{certificate.revoked_on.day}日" in text
    # Still the certificate as issued underneath.
    assert certificate.holder_name in text and certificate.number in text
    assert marked != valid
    # The record is untouched.
    document.refresh_from_db()
    assert file_sha256(document) == stored_hash == document.sha256
    assert certificate.document_id == document.pk

"""HTML templates → PDF through WeasyPrint, and their storage.

Fonts: templates name the CJK families installed with the system
(fonts-noto-cjk: "Noto Serif CJK SC"); WeasyPrint embeds and subsets them
(fast with libharfbuzz-subset0). An issued document is stored once with its
SHA-256 and never rewritten."""

import hashlib
import io

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Certificate, Document


def render_pdf(template_name, context):
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_document(*, kind, title, data, filename, subject=None):
    document = Document(kind=kind, title=title, sha256=sha256_of(data), size=len(data))
    if subject is not None:
        document.content_type = ContentType.objects.get_for_model(subject)
        document.object_id = subject.pk
    # The storage never overwrites: a taken name gets a random suffix.
    document.file.save(filename, ContentFile(data), save=False)
    document.save()
    return document


def document_is_intact(document):
    try:
        with document.file.open("rb") as f:
            return sha256_of(f.read()) == document.sha256
    except FileNotFoundError:
        return False


def verification_url(certificate):
    return settings.SITE_URL + reverse("verify_certificate", args=[certificate.token])


def qr_svg_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def certificate_context(certificate):
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "verify_url": url,
        "qr": qr_svg_data_uri(url),
        "short_code": certificate.token[:8],
    }


def render_certificates_pdf(certificates):
    """All certificates in one document, a page each: an order of magnitude
    faster than one document each."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "documents/certificates.html",
            {"pages": [certificate_context(c) for c in certificates]},
        )


def issue_certificate_document(certificate_id):
    """Render and store the PDF of a certificate unless it has one.
    Idempotent and safe to run twice at once: the certificate row is locked
    and an existing document is kept, never overwritten."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.document_id:
            return certificate.document
        data = render_certificates_pdf([certificate])
        document = store_document(
            kind="certificate",
            title=certificate.number,
            data=data,
            filename=f"certificate-{certificate.series}-{certificate.sequence:05d}.pdf",
            subject=certificate,
        )
        certificate.document = document
        certificate.save(update_fields=["document"])
        return document



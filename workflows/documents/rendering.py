"""HTML templates → PDF through WeasyPrint, and their storage.

Every process renders its paper here: a template extends
documents/base_print.html, which sets the page (A4 or A3, portrait or
landscape) from `render_pdf`'s arguments and the CJK font stack.

Fonts: templates name the CJK families installed with the system
(fonts-noto-cjk: "Noto Serif CJK SC"); WeasyPrint embeds and subsets them
(fast with libharfbuzz-subset0). An issued document is stored once with its
SHA-256 and never rewritten."""

import datetime
import hashlib
import logging
import os

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from workflows.documents.layouts import certificate_layout, certificate_layouts
from workflows.models import Certificate, Document

# WeasyPrint logs every layout step at INFO: noise in a batch of thousands.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "AR PL UKai CN", serif'
PAGE_SIZES = ("A4", "A3")
ORIENTATIONS = ("portrait", "landscape")


def page_context(size="A4", orientation="portrait", margin="15mm"):
    if size not in PAGE_SIZES or orientation not in ORIENTATIONS:
        raise ValueError(f"Unsupported page {size} {orientation}")
    return {
        "page_size": size,
        "page_orientation": orientation,
        "page_css": f"@page {{ size: {size} {orientation}; margin: {margin}; }}",
        "font_stack": FONT_STACK,
    }


def render_html(template_name, context, *, size="A4", orientation="portrait", margin="15mm"):
    """The document's HTML, in the site's language (paper is printed in the
    district's language whoever asks for it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, {**page_context(size, orientation, margin), **context})


def html_to_pdf(html):
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_pdf(template_name, context, *, size="A4", orientation="portrait", margin="15mm"):
    return html_to_pdf(render_html(template_name, context, size=size, orientation=orientation, margin=margin))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_document(*, kind, title, filename, data=None, path=None, subject=None):
    """Store `data` (bytes) or the file at `path` as a new Document with its
    SHA-256. The storage never overwrites: a taken name gets a random
    suffix."""
    if (data is None) == (path is None):
        raise ValueError("Give either data or path.")
    if data is not None:
        content, digest, size = ContentFile(data), sha256_of(data), len(data)
    else:
        digest, size = _sha256_of_path(path), os.path.getsize(path)
        content = File(open(path, "rb"))
    document = Document(kind=kind, title=title, sha256=digest, size=size)
    if subject is not None:
        document.content_type = ContentType.objects.get_for_model(subject)
        document.object_id = subject.pk
    try:
        document.file.save(filename, content, save=False)
    finally:
        content.close()
    document.save()
    return document


def _sha256_of_path(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(document):
    """The SHA-256 of the stored file, or None when the file is missing."""
    digest = hashlib.sha256()
    try:
        with document.file.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except (FileNotFoundError, ValueError):
        return None
    return digest.hexdigest()


# Certificates ---------------------------------------------------------------

def verification_url(certificate):
    return settings.SITE_URL + reverse("verify_certificate", args=[certificate.token])


def short_code(certificate):
    """The code printed under the QR code, for typing in by hand."""
    return certificate.short_code


def qr_png_data_uri(url):
    """One pixel per module: a few hundred bytes per page, scaled up by the
    template with `image-rendering: pixelated` (sharp edges in print). A
    raster image also renders much faster than an SVG per page."""
    return segno.make(url, error="m").png_data_uri(scale=1, border=1)


def certificate_context(certificate):
    url = verification_url(certificate)
    layout = certificate_layout(certificate.layout)
    return {
        "certificate": certificate,
        "layout": layout.key,
        "page_template": layout.page_template,
        "verify_url": url,
        "qr": qr_png_data_uri(url),
        "short_code": short_code(certificate),
    }


def _styles():
    return [layout.style for layout in certificate_layouts() if layout.style]


def certificates_html(certificates):
    """All certificates in one HTML document, a page each. Landscape A4; the
    page box is the template's own (zero margin, a frame drawn inside)."""
    return render_html(
        "documents/certificates.html",
        {"pages": [certificate_context(c) for c in certificates], "layout_styles": _styles()},
        size="A4",
        orientation="landscape",
        margin="0",
    )


def render_certificates_pdf(certificates):
    """All certificates in one document, a page each: an order of magnitude
    faster than one document each. For large batches use
    workflows.documents.printing, which renders in chunks and in parallel."""
    return html_to_pdf(certificates_html(certificates))


class SampleCertificate:
    """An unsaved stand-in for a layout preview: never stored, never
    verifiable (its token is a placeholder)."""

    def __init__(self, layout, *, holder_name=None, award_title=None, issuer=None):
        registered = certificate_layout(layout)
        holder, award = registered.sample_holder, registered.sample_award
        self.layout = layout
        self.holder_name = holder_name or holder
        self.award_title = award_title or award
        self.issuer = issuer or settings.UNIONFLOW_ISSUER
        self.issued_on = datetime.date.today()
        self.number = "样〔0000〕第0000号"
        self.token = "SAMPLE-PREVIEW-NOT-VALID"
        self.short_code = "0000-0000"
        self.is_revoked = False


def preview_certificate_html(layout):
    """A layout with sample data, never issued (the view caches its PDF by
    content, like any document rendered in a request)."""
    sample = SampleCertificate(layout)
    context = certificate_context(sample)
    context["verify_url"] = settings.SITE_URL + "/verify/"
    context["qr"] = qr_png_data_uri(context["verify_url"])
    context["sample"] = True
    return render_html(
        "documents/certificates.html", {"pages": [context], "layout_styles": _styles()}, size="A4",
        orientation="landscape", margin="0"
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

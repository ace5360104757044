"""A revoked certificate's PDF as handed out: the stored original with a
clear 已撤销 mark and the date stamped on the face of every page.

The original stays untouched for the record (its file and SHA-256 are
never rewritten); the marked copy is made on demand from it by laying a
stamp page over each page, so it shows exactly what was issued, plus the
mark."""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.conf import settings

from .rendering import FONT_STACK, html_to_pdf

POINTS_PER_MM = 72 / 25.4


def _stamp_pdf(width_mm, height_mm, certificate):
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "documents/revoked_stamp.html",
            {"width_mm": width_mm, "height_mm": height_mm, "font_stack": FONT_STACK, "certificate": certificate},
        )
    return html_to_pdf(html)


def revoked_copy(certificate, original: bytes) -> bytes:
    """`original` (the stored PDF's bytes) with the revocation stamped on
    each page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    stamps = {}
    for page in writer.pages:
        size = (round(float(page.mediabox.width) / POINTS_PER_MM), round(float(page.mediabox.height) / POINTS_PER_MM))
        if size not in stamps:
            stamps[size] = PdfReader(io.BytesIO(_stamp_pdf(*size, certificate))).pages[0]
        page.merge_page(stamps[size])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

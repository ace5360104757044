"""What the May Day journey does on its pages, as a person would: open a
case from the inbox, press a decision button, read the status badge and the
flash message; the working calendar the district keeps; and the files the
journey handles (an attachment to upload, the certificate's text and QR
code)."""

import datetime
import io

import chinese_calendar
from django.utils import timezone

from workflows.models import CalendarDay


# Setup -----------------------------------------------------------------------

def known_working_calendar(days=40):
    """The notice counts working days by China's published calendar; near
    the end of a year the next one may not be published yet. Enter the
    coming weeks as the district would (weekdays working) for any year the
    installed calendar does not know, so the journey runs on any date."""
    today = timezone.localdate()
    for offset in range(days):
        day = today + datetime.timedelta(days=offset)
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            CalendarDay.objects.get_or_create(date=day, defaults={"is_working_day": day.weekday() < 5})


# Files -----------------------------------------------------------------------

def minutes_pdf():
    """A small real PDF (one page, drawn by Pillow): the congress minutes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((40, 40), "Workers' congress minutes, 2024-03-01", fill="black")
    out = io.BytesIO()
    image.save(out, format="PDF")
    return out.getvalue()


def photo_jpg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 60, 40)).save(out, format="JPEG")
    return out.getvalue()


def pdf_text(data):
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def qr_texts(data, dpi=200):
    """What the QR codes on the PDF's first page say, read from the page as
    rendered (what a phone's camera would see), not from the PDF's source."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


# Pages -------------------------------------------------------------------------

def badge(page):
    """The status badge in the page's heading."""
    return page.locator("h1 .badge").first.inner_text().strip()


def flashes(page):
    return " ".join(page.locator("ul.messages li").all_inner_texts())


def open_from_inbox(page, label):
    """Open the case the inbox lists as `label` (the user has just signed in
    and landed on the inbox)."""
    assert "/inbox/" in page.url, page.url
    page.locator("table a", has_text=label).first.click()
    page.wait_for_load_state()


def decide(page, code, comment=""):
    """Write the comment and press the decision button `code` on a case page."""
    form = page.locator("form#decision")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator(f"button[name=decision][value={code}]").click()
    page.wait_for_load_state()

"""What the browser journeys read off a page and check on every page.

A journey is only worth its time if it fails where a person would be
stuck: so each page a journey opens is watched for script errors, for
anything the Content-Security-Policy refused (Chromium reports those on the
console), for failed requests and for server errors; and on a phone-sized
page nothing may stick out sideways (a page wider than the phone makes the
person scroll the whole page sideways to reach a button).

Messages are looked up in the app's own Chinese catalogue (`zh`), so an
assertion names the English msgid the code uses and still checks what a
person reads.

Also here: the working calendar the district keeps (so a notice's working
days are known on any date), and the files the journeys handle (an
attachment to upload, a PDF's text and the QR codes read off its page).
"""

import datetime
import io

import chinese_calendar
from django.urls import reverse
from django.utils import timezone, translation

from tests.e2e.conftest import shot_both
from workflows.models import CalendarDay


def zh(msgid, **params):
    """The Chinese text a page shows for `msgid` (with its %-parameters);
    `msgid` may also be a lazy string of the code (a label, a choice)."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid) if isinstance(msgid, str) else str(msgid)
    return text % params if params else text


def zhn(singular, plural, n, **params):
    """The Chinese text of a message with a plural form, for `n`."""
    with translation.override("zh-hans"):
        text = translation.ngettext(singular, plural, n)
    return text % params


class Watch:
    """Collects what went wrong on one page (one person's tab) as it is used."""

    def __init__(self, page):
        self.problems = []
        self.failed = []
        self.downloads = set()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        # A navigation that turns into a download (a PDF) ends as an aborted
        # request: that one is no failure.
        page.on("download", lambda download: self.downloads.add(download.url))
        page.on("response", self._response)

    def _failed(self, request):
        # A request cut off because the page moved on (a favicon or an image
        # still loading when a link is followed) is aborted by the browser
        # itself: on a busy machine that happens, and it is no failure of
        # the page. Refused, reset or timed-out requests still are.
        if "ERR_ABORTED" in (request.failure or ""):
            return
        self.failed.append(request.url)

    def _console(self, message):
        # CSP refusals ("Refused to execute inline script ...") arrive as errors.
        if message.type == "error":
            self.problems.append(f"console: {message.text} ({message.location.get('url', '')})")

    def _response(self, response):
        if response.status >= 500:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def check(self):
        problems = self.problems + [f"request failed: {url}" for url in self.failed if url not in self.downloads]
        assert not problems, "\n".join(problems)


def watch(page):
    """Start watching `page`; returns the Watch, whose `check()` fails the
    journey with everything that went wrong."""
    page.watch = Watch(page)
    return page.watch


def click(page, locator):
    """Click something that loads a new page (a link, a form's button) and
    wait for that page."""
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("load")


def sign_in(page, username, password="pw"):
    """The login form, as conftest.login fills it, but waiting for the
    inbox to load rather than for the network to stay idle half a second
    (five people sign in on a journey)."""
    go(page, reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    click(page, page.locator("form.stack button.primary"))
    assert page.url.endswith(reverse("inbox")), f"login failed for {username}: {page.url}"


def go(page, path):
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: HTTP {response and response.status}"
    return response


def open_from_inbox(page, href):
    """From the person's inbox, open the task whose link is `href`: the
    task must be there."""
    go(page, reverse("inbox"))
    link = page.locator(f"main a[href='{href}']").first
    assert link.count() == 1, f"no task linking to {href} in the inbox of this user:\n{text(page)}"
    click(page, link)


def text(page, selector="main"):
    return page.locator(selector).inner_text()


def messages(page):
    return [m.strip() for m in page.locator("ul.messages li").all_inner_texts()]


def expect_message(page, expected):
    shown = messages(page)
    assert any(expected in m for m in shown), f"expected the message {expected!r}, the page shows {shown!r}"


def badge(page, selector="h1 .badge"):
    return page.locator(selector).first.inner_text().strip()


def fits_width(page):
    """Nothing on the page is wider than the window (tables scroll inside
    their own box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the {page.viewport_size['width']}px window"


def shots(page, name):
    """shot_both, then the page goes back to the size it had (a phone
    stays a phone for the rest of the journey); the phone shot is also
    checked to fit the phone's width."""
    size = page.viewport_size
    shot_both(page, name)
    page.set_viewport_size({"width": 390, "height": 844})
    fits_width(page)
    page.set_viewport_size(size)


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

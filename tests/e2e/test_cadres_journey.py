"""A democratic evaluation of cadres (民主评议干部), through the pages: the
working body generates the voting codes and prints the slips, reading the
codes back off the printed PDF as a clerk would; the chair opens the vote;
three voters cast their ballots on phones, one by scanning the slip's QR
code (the code travels in the address's fragment and the POST body, never
in a request line), two by typing it (a used code is refused); the vote is
closed, tallied, approved by the superior union and published; a voter
finds their receipt among the counted, and the ballots' grades are listed
apart, without receipts.

Screenshots: cadres-01-slips, cadres-02-ballot, cadres-02-receipt, cadres-03-code-refused,
cadres-04-published, cadres-05-receipt-found (desktop and phone).
"""

import io
import re
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader

from evaluations.cadres.models import Ballot, Grade, VotingCode
from evaluations.cadres.models import EvaluationState as S
from tests.e2e.journey_pages import (
    badge, click, expect_message, go, qr_texts, shots, sign_in, text, watch, zh,
)
from tests.evaluations.cadres.conftest import make_evaluation, tellers  # noqa: F401  (the plan, approved)


SLIP_CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
E, C, B, I, ABSTAIN = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, ""


def decide(page, decision):
    """Press a step's button on the evaluation's page; a final step asks
    for a confirmation first."""
    click(page, page.locator(f"button[name=decision][value={decision}]"))
    confirm = page.locator("input[name=confirmed][value='1']")
    if confirm.count():
        click(page, page.locator("form button.primary"))


def open_by_qr(page, qr_url):
    """Open the address a slip's QR code holds, as a phone's camera app
    would: the page's script takes the code from the fragment and posts it.
    No request the browser makes has the code in its path or query."""
    parts = urlsplit(qr_url)
    code = parse_qs(parts.fragment)["code"][0]
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    go(page, f"{parts.path}#{parts.fragment}")
    page.locator("fieldset.ballot-row").first.wait_for()
    sent = [urlsplit(url) for url in requests]
    assert sent and not [u for u in sent if code in u.path or code in u.query], requests
    assert code not in page.url  # and the fragment is off the address bar


def cast(page, evaluation, typed_code, grades, shot_as=None, qr_url=None):
    """One voter: scan the slip's QR code or type its code, grade each
    cadre (tapping the grade's label), review, cast; returns the receipt
    code shown. With `shot_as`, the ballot and the receipt are
    photographed."""
    if qr_url:
        open_by_qr(page, qr_url)
    else:
        go(page, f"/evaluations/vote/{evaluation.code}/")
        page.fill("input[name=code]", typed_code)
        click(page, page.get_by_role("button", name=zh("Open the ballot")))
    for cadre, grade in zip(evaluation.cadres.all(), grades):
        row = page.locator("fieldset.ballot-row", has_text=cadre.name)
        row.get_by_label(zh(Grade(grade).label) if grade else zh("Abstain"), exact=True).check()
    if shot_as:
        shots(page, f"{shot_as}-ballot")
    click(page, page.get_by_role("button", name=zh("Review my ballot")))
    confirmation = text(page, "table")
    for cadre, grade in zip(evaluation.cadres.all(), grades):
        assert cadre.name in confirmation
    if ABSTAIN in grades:
        assert zh("Abstain") in confirmation
    click(page, page.get_by_role("button", name=zh("Cast my ballot")))
    assert text(page, "h1") == zh("Your ballot has been cast")
    if shot_as:
        shots(page, f"{shot_as}-receipt")
    return page.locator("#receipt").inner_text().strip()


def test_slips_ballots_on_phones_and_published_receipts(open_page, tree, make_evaluation, tmp_path):  # noqa: F811
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=0, entitled=4)
    cadres = list(evaluation.cadres.all())

    # 1. The working body generates four codes and prints the slips.
    clerk = open_page()
    clerk_watch = watch(clerk)
    sign_in(clerk, tree.submitter.username)
    go(clerk, "/evaluations/cadres/")
    click(clerk, clerk.get_by_role("link", name=evaluation.title))
    clerk.fill("input[name=count]", "4")
    click(clerk, clerk.get_by_role("button", name=zh("Generate codes")))
    expect_message(clerk, zh("%(count)s voting codes generated.", count=4))
    with clerk.expect_download() as download:
        clerk.get_by_role("button", name=zh("Print the unused slips (PDF)")).click()
    pdf_path = tmp_path / "slips.pdf"
    download.value.save_as(pdf_path)
    pdf = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    printed = SLIP_CODE.findall("".join(page.extract_text() for page in pdf.pages))
    assert len(printed) == 4 and len(set(printed)) == 4
    assert set(printed) == {c.display for c in VotingCode.objects.filter(evaluation=evaluation)}
    # The QR codes, read off the printed page as a camera would: the voting
    # page's address, the code only in the fragment.
    qr_urls = {parse_qs(urlsplit(url).fragment)["code"][0]: url for url in qr_texts(pdf_path.read_bytes())}
    assert set(qr_urls) == {code.replace("-", "") for code in printed}
    for code, url in qr_urls.items():
        assert code not in urlsplit(url).path + urlsplit(url).query
    go(clerk, evaluation.get_absolute_url())
    assert zh("Voting codes: %(codes_total)s issued, %(codes_used)s used. Paper ballots issued: %(paper)s.",
              codes_total=4, codes_used=0, paper=0) in text(clerk)
    shots(clerk, "cadres-01-slips")

    # 2. The chair opens the vote.
    chair = open_page()
    chair_watch = watch(chair)
    sign_in(chair, tree.chair.username)
    go(chair, evaluation.get_absolute_url())
    decide(chair, "open_voting")
    expect_message(chair, zh("Done: %(decision)s.", decision=zh("Open the vote")))
    assert badge(chair) == zh("Voting open")

    # 3. Three voters, each with a slip, vote on their phones without a login:
    # the first scans the QR code, the others type the code as people type
    # them (lower case, no dashes, spaces).
    ballots = [(printed[0].lower(), [E, E, C, B]),
               (printed[1].replace("-", ""), [E, C, C, I]),
               (" ".join(printed[2].split("-")), [C, ABSTAIN, B, E])]
    receipts = []
    for number, (typed, grades) in enumerate(ballots):
        voter = open_page(phone=True)
        voter_watch = watch(voter)
        qr_url = qr_urls[printed[0].replace("-", "")] if number == 0 else None
        receipts.append(cast(voter, evaluation, typed, grades, shot_as="cadres-02" if number == 0 else None,
                             qr_url=qr_url))
        voter_watch.check()
    assert len(set(receipts)) == 3 and not set(receipts) & set(printed)
    assert Ballot.objects.filter(evaluation=evaluation).count() == 3

    # A used code cannot vote again; the page says why.
    again = open_page(phone=True)
    go(again, f"/evaluations/vote/{evaluation.code}/")
    again.fill("input[name=code]", printed[0])
    click(again, again.get_by_role("button", name=zh("Open the ballot")))
    assert again.locator("ul.messages li.error").count() == 1
    assert again.locator("fieldset.ballot-row").count() == 0
    shots(again, "cadres-03-code-refused")

    # 4. Closed and tallied by the chair, approved by the superior union,
    # published by the chair.
    go(chair, evaluation.get_absolute_url())
    decide(chair, "close_voting")
    decide(chair, "tally")
    assert badge(chair) == zh("Tallied, awaiting approval of the results")
    town = open_page()
    town_watch = watch(town)
    sign_in(town, tree.reviewer_a.username)
    go(town, evaluation.get_absolute_url())
    decide(town, "approve_results")
    expect_message(town, zh("Done: %(decision)s.", decision=zh("Approve the results")))
    go(chair, evaluation.get_absolute_url())
    decide(chair, "publish")
    assert badge(chair) == zh("Published")
    shots(chair, "cadres-04-published")

    # 5. The public results: the three receipts, counted; a voter finds
    # theirs, typed without dashes in lower case. The grades of the three
    # ballots are listed apart, without receipts.
    public = open_page(phone=True)
    public_watch = watch(public)
    go(public, f"/evaluations/results/{evaluation.code}/")
    # Valid: 3 of the 4 entitled took part (more than half).
    assert public.locator(".card .badge.done").inner_text().strip() == zh("Valid")
    assert "75.00%" in text(public, ".card")
    listed = public.locator("#receipt-list code.receipt-code").all_inner_texts()
    assert sorted(listed) == sorted(receipts)
    figures = public.locator("table").first
    first_row = figures.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cadres[0].name in first_row[0] and first_row[1:6] == ["2", "1", "0", "0", "0"]  # 张伟: E, E, C
    ballot_rows = public.locator("#ballot-list tbody tr")
    shown = sorted(tuple(cell.strip() for cell in row.locator("td").all_inner_texts()[1:])
                   for row in ballot_rows.all())
    assert shown == sorted(tuple(zh(Grade(g).label) if g else zh("Abstain") for g in grades) for _, grades in ballots)
    assert not any(r in text(public, "#ballot-list") for r in receipts)
    public.fill("input[name=receipt]", receipts[1].replace("-", "").lower())
    click(public, public.get_by_role("button", name=zh("Find")))
    rows = public.locator("#receipt-list tbody tr")
    assert rows.count() == 1
    found = rows.first.locator("td").all_inner_texts()
    assert found == [receipts[1], zh("Counted (已计入)")]
    shots(public, "cadres-05-receipt-found")

    for w in (clerk_watch, chair_watch, town_watch, public_watch):
        w.check()

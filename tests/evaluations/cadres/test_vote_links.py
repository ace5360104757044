"""No voting code in any address a web server or proxy logs (issue 19,
item 2): the slip's QR code carries the code in the fragment, the ballot and
the confirmation post to the bare address, an old `?code=` link is sent on
to the fragment form, and a typed code still works."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from evaluations.cadres import services
from evaluations.cadres.models import Ballot, VotingCode
from evaluations.cadres.models import EvaluationState as S
from tests.e2e.journey_pages import qr_texts

from .conftest import grades_for

pytestmark = pytest.mark.django_db


def test_a_printed_slips_qr_code_holds_no_code_in_its_path_or_query(tree, make_evaluation, client):
    evaluation = make_evaluation(to=S.PLAN_APPROVED, codes=3)
    codes = {c.code for c in VotingCode.objects.filter(evaluation=evaluation)}
    client.force_login(tree.submitter)
    pdf = client.post(f"/evaluations/cadres/{evaluation.code}/slips.pdf")
    assert pdf.status_code == 200
    urls = qr_texts(pdf.content)
    assert len(urls) == 3
    found = set()
    for url in urls:
        parts = urlsplit(url)
        assert parts.path == f"/evaluations/vote/{evaluation.code}/"
        assert parts.query == ""
        assert not any(code in parts.path or code in parts.query for code in codes)
        found |= set(parse_qs(parts.fragment)["code"])  # the code is in the fragment only
    assert found == codes


def test_the_ballot_and_its_confirmation_post_to_the_bare_address(make_evaluation, client):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    url = f"/evaluations/vote/{evaluation.code}/"
    entry = client.get(url)
    body = entry.content.decode()
    # The form posts to the bare address; the fragment is read by a script
    # the site serves (no inline script under the CSP).
    assert f'id="vote-code-form" action="{url}"' in body
    assert re.search(r'<script src="/static/js/vote_code\.js[^"]*" defer></script>', body)
    assert "<script>" not in body
    data = {"code": code.display, **{f"cadre-{pk}": g for pk, g in grades_for(evaluation, "excellent").items()}}
    for action, template in (("open", "cadres/vote_ballot.html"), ("review", "cadres/vote_confirm.html")):
        page = client.post(url, {**data, "action": action})
        assert page.status_code == 200 and template in [t.name for t in page.templates]
        forms = re.findall(r'<form method="post"([^>]*)>', page.content.decode())
        assert forms and all(f' action="{url}"' == attrs for attrs in forms), forms
        assert code.code in page.content.decode()  # in the body, as a hidden field
    cast = client.post(url, {**data, "action": "cast"})
    assert cast.status_code == 200 and Ballot.objects.filter(evaluation=evaluation).count() == 1


def test_an_old_link_with_the_code_in_the_query_goes_to_the_fragment(make_evaluation, client):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    url = f"/evaluations/vote/{evaluation.code}/"
    response = client.get(url, {"code": code.display.lower()})
    assert response.status_code == 302 and response["Location"] == f"{url}#code={code.code}"
    assert "no-store" in response["Cache-Control"]
    # Something that is no code: the bare page, nothing echoed.
    response = client.get(url, {"code": "<script>"})
    assert response.status_code == 302 and response["Location"] == url
    assert not VotingCode.objects.filter(used=True).exists()


def test_the_vote_page_script_reads_only_the_fragment():
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/vote_code.js"), encoding="utf-8").read()
    assert "location.hash" in script and "replaceState" in script and "location.search)" in script
    assert "location.href" not in script  # never sends the fragment anywhere


def test_a_code_in_the_body_never_reaches_an_error_report(make_evaluation, rf):
    """Django's error reports show POST data: the vote hides the code."""
    from django.views.debug import SafeExceptionReporterFilter

    from evaluations.cadres.vote_views import vote

    evaluation = make_evaluation(codes=1)
    request = rf.post(f"/evaluations/vote/{evaluation.code}/", {"code": "7KQ4-M2XD-9PRT"})
    request._dont_enforce_csrf_checks = True
    vote(request, code=evaluation.code)
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleaned["code"] != "7KQ4-M2XD-9PRT"


def test_a_replacement_slip_also_carries_its_code_in_the_fragment(tree, make_evaluation):
    from evaluations.cadres.documents import voting_url

    evaluation = make_evaluation(codes=1)
    lost = VotingCode.objects.get(evaluation=evaluation)
    new = services.do_replace_lost_slip(evaluation=evaluation, lost_code=lost.code, actor=tree.submitter)
    parts = urlsplit(voting_url(evaluation, new))
    assert new.code not in parts.path + parts.query and parts.fragment == f"code={new.code}"

"""The voting page works from a real browser: its Referrer-Policy lets the
browser send the page's origin with the ballot's POST. Under "no-referrer"
Chromium sends `Origin: null`, which Django's CSRF check refuses with a
403, so no voter could open a ballot (found by the browser journey; the
test client sends no Origin and did not see it)."""

import re

from django.test import Client

from evaluations.cadres.models import VotingCode

# Policies under which a browser sends a same-origin POST's real Origin.
ORIGIN_KEEPING = {"same-origin", "origin", "strict-origin", "origin-when-cross-origin",
                  "strict-origin-when-cross-origin"}


def test_a_ballot_opens_with_the_origin_a_browser_sends(make_evaluation):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    browser = Client(enforce_csrf_checks=True)
    url = f"/evaluations/vote/{evaluation.code}/"
    entry = browser.get(url)
    assert entry["Referrer-Policy"] in ORIGIN_KEEPING
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', entry.content.decode()).group(1)
    ballot = browser.post(url, {"csrfmiddlewaretoken": token, "code": code.display, "action": "open"},
                          HTTP_ORIGIN="http://testserver")
    assert ballot.status_code == 200
    assert ballot["Referrer-Policy"] in ORIGIN_KEEPING
    assert all(c.name in ballot.content.decode() for c in evaluation.cadres.all())

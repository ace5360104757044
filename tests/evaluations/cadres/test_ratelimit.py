"""A hall is never locked out (issue 19, item 7): re-opening a used slip is
not a wrong code; the allowance per address grows with the voters; a valid
unused code is never refused by a limit; other evaluations are unaffected;
and each evaluation caps the wrong codes it answers."""

import pytest
from django.core.cache import cache

from evaluations.cadres import ratelimit
from evaluations.cadres.models import Ballot, VotingCode
from evaluations.cadres.voting import do_cast_ballot

pytestmark = pytest.mark.django_db
WRONG = "AAAA-BBBB-CCCC"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.UNIONFLOW_VOTE_FAILURES = 3
    settings.UNIONFLOW_VOTE_FAILURES_PER_VOTER = 1
    settings.UNIONFLOW_VOTE_WRONG_CODES_PER_VOTER = 50
    settings.UNIONFLOW_VOTE_WRONG_CODES_MIN = 1000
    cache.clear()
    yield settings
    cache.clear()


def _open(client, evaluation, code, ip="10.1.1.1"):
    return client.post(f"/evaluations/vote/{evaluation.code}/", {"code": code, "action": "open"}, REMOTE_ADDR=ip)


def test_re_opening_a_used_slip_is_not_a_wrong_code(make_evaluation, client):
    evaluation = make_evaluation(codes=2, entitled=2)  # allowance 3 + 2 = 5
    used, fresh = VotingCode.objects.filter(evaluation=evaluation)
    do_cast_ballot(evaluation=evaluation, code=used.code, grades={})
    for _ in range(12):  # voters check their slip again and again
        page = _open(client, evaluation, used.display)
        assert page.status_code == 400 and page.context["form"].refusal
    for _ in range(5):  # mistyped: "ABC" is no code at all, cannot be a guess
        assert _open(client, evaluation, "ABC").status_code == 400
    assert _open(client, evaluation, WRONG).status_code == 400  # the first wrong code: not blocked
    assert _open(client, evaluation, fresh.code).status_code == 200


def test_the_allowance_per_address_scales_with_the_voters(make_evaluation, client):
    small = make_evaluation(codes=1, entitled=2, code="small")
    large = make_evaluation(codes=1, entitled=40, code="large")
    assert ratelimit.address_allowance(small) == 5 and ratelimit.address_allowance(large) == 43
    for evaluation, allowance in ((small, 5), (large, 43)):
        statuses = [_open(client, evaluation, WRONG).status_code for _ in range(allowance + 1)]
        assert statuses == [400] * allowance + [429], evaluation.code


def test_a_valid_unused_code_is_never_refused_by_a_limit(make_evaluation, client):
    evaluation = make_evaluation(codes=2, entitled=1)  # allowance 4
    first, second = VotingCode.objects.filter(evaluation=evaluation)
    for _ in range(10):
        _open(client, evaluation, WRONG)
    blocked = _open(client, evaluation, WRONG)
    assert blocked.status_code == 429 and blocked["Retry-After"]
    assert "AAAA-BBBB-CCCC" in blocked.content.decode()  # what was typed is kept
    # The blocked address's voters still vote with their slips...
    page = _open(client, evaluation, first.display)
    assert page.status_code == 200
    cadre = evaluation.cadres.first()
    cast = client.post(f"/evaluations/vote/{evaluation.code}/",
                       {"code": first.code, "action": "cast", f"cadre-{cadre.pk}": "excellent"}, REMOTE_ADDR="10.1.1.1")
    assert cast.status_code == 200 and Ballot.objects.filter(evaluation=evaluation).count() == 1
    # ... and re-opening the used slip says "used", not "too many".
    again = _open(client, evaluation, first.code)
    assert again.status_code == 400
    assert _open(client, evaluation, second.code).status_code == 200


def test_other_evaluations_are_unaffected(make_evaluation, client):
    one = make_evaluation(codes=1, entitled=1, code="one")
    other = make_evaluation(codes=1, entitled=1, code="other")
    for _ in range(5):
        _open(client, one, WRONG)
    assert _open(client, one, WRONG).status_code == 429
    assert _open(client, other, WRONG).status_code == 400
    assert _open(client, one, WRONG, ip="10.9.9.9").status_code == 400  # another address


def test_each_evaluation_caps_the_wrong_codes_it_answers(make_evaluation, client, limits):
    limits.UNIONFLOW_VOTE_WRONG_CODES_PER_VOTER = 2
    limits.UNIONFLOW_VOTE_WRONG_CODES_MIN = 6
    evaluation = make_evaluation(codes=1, entitled=2)  # cap max(2 × 2, 6) = 6
    other = make_evaluation(codes=1, entitled=2, code="other")
    assert ratelimit.evaluation_cap(evaluation) == 6
    for i in range(6):  # six addresses, one wrong code each: under every address's allowance
        assert _open(client, evaluation, WRONG, ip=f"10.2.0.{i}").status_code == 400
    assert _open(client, evaluation, WRONG, ip="10.3.0.1").status_code == 429  # a fresh address, over the cap
    assert _open(client, other, WRONG, ip="10.3.0.1").status_code == 400
    code = VotingCode.objects.get(evaluation=evaluation)
    assert _open(client, evaluation, code.code, ip="10.3.0.1").status_code == 200


def test_codes_have_60_random_bits():
    from ballots.codes import ALPHABET, VOTING_CODE_LENGTH

    assert len(ALPHABET) ** VOTING_CODE_LENGTH == 2 ** 60

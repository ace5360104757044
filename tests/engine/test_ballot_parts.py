"""The parts a secret ballot is built from (ballots/, beside the engine; the
engine's guess limit, acting bodies, places, recording), on the toy process where a
case is needed. The ballot's own races and secrecy are tested with the
process that stores ballots (tests/evaluations/cadres: concurrency,
unlinkable, integrity, ratelimit)."""

from fractions import Fraction

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from tests.engine.toy.models import ToyCase
from ballots import codes
from ballots.casting import CodeRefused, refuse_row
from ballots.counting import as_percent, fewest_more_than, more_than, percent
from workflows.cases.recording import record_on
from workflows.exceptions import NotAllowed
from workflows.organisations.acting_body import ActingBody
from workflows.organisations.roles import DeclaredRole
from workflows.security.wrong_guesses import GuessLimit
from workflows.steps import places


def test_voting_codes_read_as_typed_and_print_in_groups():
    code = codes.new_voting_code()
    assert len(code) == codes.VOTING_CODE_LENGTH and set(code) <= set(codes.ALPHABET)
    assert codes.normalise_code(" 7kq4-m2xd-9pro ") == "7KQ4M2XD9PR0"  # O reads as 0
    assert codes.normalise_code("7KQ4-M2XD-9PR") == ""
    assert codes.display_voting_code("7KQ4M2XD9PRT") == "7KQ4-M2XD-9PRT"
    receipt = codes.new_receipt_code()
    assert receipt.startswith("R") and len(receipt) == 1 + codes.RECEIPT_LENGTH
    assert codes.display_receipt("R7KQ4M2XD9P") == "R-7KQ4M-2XD9P"
    assert codes.normalise_receipt("r-7kq4m") == "R7KQ4M" and codes.normalise_receipt("R!") == ""


def test_a_code_row_votes_only_unused_and_not_voided():
    refuse_row((False, False))
    for row, kind in ((None, CodeRefused.WRONG), ((False, True), CodeRefused.WRONG), ((True, False), CodeRefused.USED)):
        with pytest.raises(CodeRefused) as refused:
            refuse_row(row)
        assert refused.value.kind == kind


def test_shares_compare_exactly_and_print_to_two_places():
    assert not more_than(20, 30, 2, 3) and more_than(21, 30, 2, 3)
    assert fewest_more_than(40, 1, 2) == 21 and fewest_more_than(30, 2, 3) == 21
    assert str(percent(2, 3)) == "66.67" and str(percent(1, 0)) == "0.00"
    assert str(as_percent(Fraction(1, 8))) == "12.50" and as_percent(None) is None


def test_wrong_guesses_count_per_address_and_per_scope():
    cache.clear()
    limit = GuessLimit("test:guess", window=600, per_address=lambda scope: 2, cap=lambda scope: 3, span=3600)
    one, other = ToyCase(pk=1), ToyCase(pk=2)
    here, there = (RequestFactory().post("/", REMOTE_ADDR=ip) for ip in ("10.0.0.1", "10.0.0.2"))
    limit.record(here, one)
    assert not limit.is_blocked(here, one)
    limit.record(here, one)
    assert limit.is_blocked(here, one)  # this address's allowance
    assert not limit.is_blocked(there, one) and not limit.is_blocked(here, other)
    limit.record(there, one)
    assert limit.is_blocked(there, one)  # the scope's cap, whatever the address
    cache.clear()


@pytest.mark.django_db
def test_an_acting_body_holds_checks_and_files_its_hat(people):
    case = ToyCase.objects.create(title="甲", organisation=people.unit, created_by=people.submitter)
    body = ActingBody((DeclaredRole("submitter", "Submitter"),), at=places.unit, refusal="Only the unit.")
    assert body.holds(people.submitter, case) and not body.holds(people.reviewer, case)
    body.check(people.submitter, case)
    with pytest.raises(NotAllowed, match="Only the unit."):
        body.check(people.reviewer, case)
    assert body.hat(people.submitter, case).role == "submitter"
    assert body.hat(None, case).organisation == people.unit
    assert places.superior(case) == people.town and places.district(case) == people.district


@pytest.mark.django_db
def test_record_on_writes_the_row_and_the_instance(people):
    case = ToyCase.objects.create(title="甲", organisation=people.unit, created_by=people.submitter)
    record_on(case, title="乙", category="small")
    assert (case.title, case.category) == ("乙", "small")
    assert ToyCase.objects.filter(pk=case.pk, title="乙", category="small").exists()

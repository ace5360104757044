"""One-time codes: the alphabet and entropy, typing leniency, used once,
only for their evaluation and only while voting is open."""

import math

import pytest

from evaluations.cadres.models import Ballot, VotingCode
from evaluations.cadres.models import EvaluationState as S
from evaluations.cadres.voting import CodeRefused, check_code, do_cast_ballot
from ballots import codes

from .conftest import grades_for


def test_codes_have_at_least_50_random_bits_and_no_look_alikes():
    assert len(codes.ALPHABET) == 32 and not set("ILOU") & set(codes.ALPHABET)
    assert codes.VOTING_CODE_LENGTH * math.log2(len(codes.ALPHABET)) >= 50
    assert codes.RECEIPT_LENGTH * math.log2(len(codes.ALPHABET)) >= 50
    drawn = {codes.new_voting_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(len(c) == 12 and set(c) <= set(codes.ALPHABET) for c in drawn)


def test_typing_is_lenient():
    assert codes.normalise_code("7kq4-m2xd-9prt") == "7KQ4M2XD9PRT"
    assert codes.normalise_code(" 7KQ4 M2XD 9PRT ") == "7KQ4M2XD9PRT"
    assert codes.normalise_code("7KQ4-M2XD-9PRO") == "7KQ4M2XD9PR0"  # O reads as 0
    assert codes.normalise_code("7KQ4-M2XD-9PR") == ""
    assert codes.normalise_code("7KQ4-M2XD-9PR!") == ""
    assert codes.display_voting_code("7KQ4M2XD9PRT") == "7KQ4-M2XD-9PRT"


@pytest.mark.django_db
def test_a_code_votes_once(make_evaluation):
    evaluation = make_evaluation(codes=2)
    code = VotingCode.objects.filter(evaluation=evaluation).first()
    typed = code.display.lower()
    ballot = do_cast_ballot(evaluation=evaluation, code=typed, grades=grades_for(evaluation, "excellent", "competent"))
    assert ballot.receipt.startswith("R") and code.code not in ballot.receipt
    code.refresh_from_db()
    assert code.used
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=evaluation, code=code.code, grades={})
    with pytest.raises(CodeRefused):
        check_code(evaluation, code.code)
    assert Ballot.objects.filter(evaluation=evaluation).count() == 1


@pytest.mark.django_db
def test_a_code_works_only_for_its_evaluation_and_while_open(tree, make_evaluation):
    first = make_evaluation(codes=1)
    second = make_evaluation(codes=1, code="pingyi-2024-other")
    foreign = VotingCode.objects.get(evaluation=second)
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=first, code=foreign.code, grades={})
    approved = make_evaluation(to=S.PLAN_APPROVED, codes=1, code="pingyi-2024-later")
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=approved, code=VotingCode.objects.get(evaluation=approved).code, grades={})
    assert not Ballot.objects.exists()
    assert not VotingCode.objects.filter(used=True).exists()


@pytest.mark.django_db
def test_an_unknown_grade_is_refused_and_the_code_stays_unused(make_evaluation):
    evaluation = make_evaluation(codes=1)
    code = VotingCode.objects.get(evaluation=evaluation)
    with pytest.raises(CodeRefused):
        do_cast_ballot(evaluation=evaluation, code=code.code, grades=grades_for(evaluation, "superb"))
    code.refresh_from_db()
    assert not code.used and not Ballot.objects.exists()

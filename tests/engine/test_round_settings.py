"""workflows.round_settings: the checks every process's round settings go
through (certificate number format, working days per step, the fields a
notice publishes), on the toy's declaration: each refusal says why, and an
accepted value passes."""

import pytest
from django.utils import translation

from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyRound
from workflows.round_settings import (
    certificate_number_format_problem, deadline_step_names, notice_fields_problem, publishable_fields,
    step_days_problem,
)

CHOICES = [("title", "Title"), ("organisation", "Unit"), ("id_number", "ID number")]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("value", ["工奖〔{year}〕第{seq:04d}号", "{seq}", "T-{year}-{seq:03d}"])
def test_a_certificate_format_with_its_own_number_is_accepted(value):
    assert certificate_number_format_problem(value) is None


@pytest.mark.parametrize("value", ["{name}-{seq}", "{0}-{seq}", "{seq", "{seq.real.x}"])
def test_a_certificate_format_with_another_placeholder_is_refused(value):
    assert certificate_number_format_problem(value) == (
        "Use only {year} and {seq} as placeholders, e.g. 证〔{year}〕第{seq:04d}号.")


@pytest.mark.parametrize("value", ["工奖〔{year}〕", "No. 1", "{year}-{seq!s:.0}"])
def test_a_certificate_format_without_a_changing_number_is_refused(value):
    assert certificate_number_format_problem(value) == (
        "The format must contain {seq}, or all certificates get the same number.")


def test_the_round_numbers_its_certificates_with_its_format(people):
    import datetime

    from django.utils import timezone

    toy_round = ToyRound.objects.create(code="r", year=2026, title="r", district=people.district,
                                        submission_deadline=timezone.now() + datetime.timedelta(days=1),
                                        certificate_number_format="T〔{year}〕{seq:03d}")
    assert toy_round.take_certificate_number() == (1, "T〔2026〕001")
    assert toy_round.take_certificate_number() == (2, "T〔2026〕002")
    assert ToyRound.objects.get(pk=toy_round.pk).last_certificate_seq == 2


def test_the_steps_with_a_deadline_are_the_declarations():
    assert deadline_step_names(TOY) == ["review", "decide"]


def test_days_per_step_accepted():
    assert step_days_problem(TOY, {"review": 1, "decide": 60}) is None
    assert step_days_problem(TOY, {}) is None


def test_days_per_step_not_a_mapping_is_refused():
    assert step_days_problem(TOY, [5]) == 'Give step name → working days, e.g. {"confirm": 5}.'


@pytest.mark.parametrize("name", ["inspect", "nosuch"])
def test_days_for_a_step_without_a_deadline_are_refused_naming_the_steps(name):
    assert step_days_problem(TOY, {name: 5}) == (
        f"{name} is not a step with a deadline; the steps are: review, decide.")


@pytest.mark.parametrize("days", [0, 61, 2.5, "5", True, None])
def test_days_out_of_range_or_not_whole_are_refused(days):
    assert step_days_problem(TOY, {"review": days}) == (
        "Working days for review must be a whole number from 1 to 60.")


def test_notice_fields_among_the_offered_are_accepted():
    assert notice_fields_problem(["organisation", "title"], CHOICES) is None
    assert notice_fields_problem([], CHOICES) is None


@pytest.mark.parametrize("value", [["title", "phone"], "title", [1], {"title": True}])
def test_notice_fields_not_offered_are_refused_naming_the_choices(value):
    assert notice_fields_problem(value, CHOICES) == "Choose among: id_number, organisation, title."


def test_only_offered_publishable_fields_are_published_once_in_the_chosen_order():
    # An ID number is never published, even when offered; a hand-typed name
    # that is not offered is dropped; a repeated one is kept once.
    assert publishable_fields(["organisation", "id_number", "phone", "title", "organisation", 3],
                              CHOICES) == ["organisation", "title"]
    assert publishable_fields(None, CHOICES) == []

"""Forms described as data that are filled in over several sittings
(workflows.dataforms.completeness) and their list of items adding up to a
total (workflows.dataforms.items), without any process: a draft keeps what
is well-formed, completeness and the description's checks are asked when
the answers are handed in, each problem at its field."""

from fractions import Fraction

from django.utils import translation

from workflows.dataforms.completeness import (answer_entries, draft_form_class, incomplete_answers,
                                              problems_of_checks, quorum_needed)
from workflows.dataforms.definition import build_form_class, initial_answers, problems_of_fields, shown_answers, stored_answers

FIELDS = [
    {"key": "actual", "type": "money", "label": "Actual", "required": True},
    {"key": "rows", "type": "items", "label": "Spending", "required": True},
    {"key": "entitled", "type": "number", "label": "Entitled", "min": 0},
    {"key": "present", "type": "number", "label": "Present", "min": 0},
    {"key": "held_on", "type": "date", "label": "Held on"},
]
CHECKS = [{"rule": "items_total", "items": "rows", "total": "actual"},
          {"rule": "quorum", "entitled": "entitled", "present": "present", "numerator": 2, "denominator": 3}]


def post(**values):
    return {"rows-TOTAL_FORMS": "3", **values}


def form(data):
    with translation.override("en"):
        bound = draft_form_class(FIELDS)(data)
        bound.is_valid()
    return bound


def test_the_description_and_its_checks_are_valid():
    assert problems_of_fields(FIELDS) == [] and problems_of_checks(FIELDS, CHECKS) == []
    assert [p for p, _m in problems_of_checks(FIELDS, [{"rule": "sum"}, {"rule": "quorum", "entitled": "x",
                                                                          "present": "present"}])] == [
        "checks[0]", "checks[1].entitled"]


def test_a_draft_keeps_what_is_typed_and_names_the_field_of_an_error():
    draft = form(post(**{"rows-0-item": "Dinner", "rows-0-amount": "30", "rows-2-note": "later"}))
    assert draft.is_valid(), draft.errors
    answers = stored_answers(FIELDS, draft.cleaned_data)
    assert answers["actual"] is None
    assert answers["rows"] == [{"item": "Dinner", "amount": "30.00", "note": ""},
                               {"item": "", "amount": None, "note": "later"}]
    wrong = form(post(actual="-1", **{"rows-0-item": "Dinner", "rows-0-amount": "abc"}))
    assert wrong.errors["actual"] == ["“Actual” cannot be negative."]
    assert wrong.errors["rows"] == ["“Spending · Amount (yuan)” is not a number."]
    assert "Dinner" in str(wrong["rows"])  # what was typed comes back


def test_rows_not_sent_are_no_rows_like_any_field_not_sent():
    assert form({"actual": "1"}).cleaned_data["rows"] == []
    with translation.override("en"):
        required = build_form_class(FIELDS)({"actual": "1"})
        assert not required.is_valid() and required.errors["rows"] == ["This field is required."]


def test_completeness_names_each_field_then_runs_the_checks():
    with translation.override("en"):
        assert [k for k, _m in incomplete_answers(FIELDS, {}, CHECKS)] == ["actual", "rows"]
        rows = [{"item": "", "amount": "5", "note": ""}, {"item": "Hall", "amount": None, "note": ""}]
        assert len(incomplete_answers(FIELDS, {"actual": "5.00", "rows": rows}, CHECKS)) == 2
        rows = [{"item": "Dinner", "amount": "30.00", "note": ""}, {"item": "Hall", "amount": "12.00", "note": ""}]
        (key, message), = incomplete_answers(FIELDS, {"actual": "45.00", "rows": rows}, CHECKS)
        assert key == "rows" and "42.00" in message and "3.00" in message
        assert incomplete_answers(FIELDS, {"actual": "42.00", "rows": rows}, CHECKS) == []
        quorum = {"actual": "42.00", "rows": rows, "entitled": 90, "present": 60}
        assert [k for k, _m in incomplete_answers(FIELDS, quorum, CHECKS)] == ["present"]
        assert incomplete_answers(FIELDS, {**quorum, "present": 61}, CHECKS) == []
    assert quorum_needed(90, Fraction(2, 3)) == 61 and quorum_needed(91, Fraction(2, 3)) == 61


def test_answers_are_shown_and_taken_back():
    rows = [{"item": "Dinner", "amount": "30.00", "note": "12"}]
    answers = {"actual": "30.00", "rows": rows, "held_on": "2024-03-08"}
    entries = {e["key"]: e for e in answer_entries(FIELDS, answers)}
    assert entries["rows"]["rows"] == rows and str(entries["rows"]["total"]) == "30.00"
    assert entries["actual"]["value"] == "30.00" and entries["present"]["value"] == ""
    assert initial_answers(FIELDS, answers)["rows"] == rows
    shown = dict(shown_answers(FIELDS, answers))
    assert "Dinner" in shown["Spending"] and "30.00" in shown["Spending"]

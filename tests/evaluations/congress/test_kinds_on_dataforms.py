"""The report kinds on the engine's data-described forms (migration 0008):
every kind converts from its old schema and back without losing a field,
a label, a type or a required mark; the reports' values keep their shape,
amounts to the fen; and the converted kinds are valid descriptions of the
engine's palette, their checks naming their own fields."""

import importlib
import json

import pytest
from django.apps import apps

from evaluations.congress.models import Report, ReportKind
from workflows.dataforms.completeness import problems_of_checks
from workflows.dataforms.definition import problems_of_fields

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("evaluations.congress.migrations.0008_report_kinds_on_dataforms")


def test_every_kind_is_a_valid_description_with_valid_checks():
    for kind in ReportKind.objects.all():
        assert problems_of_fields(kind.fields) == [], kind.code
        assert problems_of_checks(kind.fields, kind.checks) == [], kind.code


def test_kinds_and_values_convert_back_and_forth(tree, open_period):
    before = {k.code: k.fields for k in ReportKind.objects.all()}
    report = Report.objects.get(period=open_period(), organisation=tree.union_a1)
    Report.objects.filter(pk=report.pk).update(data={
        "budget": "50000", "actual": 120, "review_opinion": "同意", "unknown": "kept",
        "items": [{"item": "接待", "amount": "120", "note": ""}, {"item": "坏", "amount": "abc", "note": ""}]})

    MIGRATION.to_schema(apps, None)
    old = ReportKind.objects.get(code="entertainment-expenses").fields
    assert old[0] == {"name": "budget", "label": "预算金额（元）", "type": "decimal", "required": True}
    assert {f["type"] for k in ReportKind.objects.all() for f in k.fields} == {
        "text", "textarea", "decimal", "integer", "date", "items"}

    MIGRATION.to_fields(apps, None)
    assert {k.code: k.fields for k in ReportKind.objects.all()} == before
    report.refresh_from_db()
    assert report.data == {"budget": "50000.00", "actual": "120.00", "review_opinion": "同意", "unknown": "kept",
                           "items": [{"item": "接待", "amount": "120.00", "note": ""},
                                     {"item": "坏", "amount": "abc", "note": ""}]}


def test_a_wrong_check_is_named():
    fields = ReportKind.objects.get(code="entertainment-expenses").fields
    assert [p for p, _m in problems_of_checks(fields, [{"rule": "items_total", "items": "x", "total": "actual"},
                                                       {"rule": "nope"}])] == ["checks[0].items", "checks[1]"]


def test_the_admin_refuses_a_kind_the_engine_could_not_draw():
    from evaluations.congress.admin import ReportKindForm

    kind = ReportKind.objects.get(code="session-record")
    data = {"code": kind.code, "name": kind.name, "period": kind.period, "ordering": kind.ordering,
            "due_rule": '{"after": "session", "field": "session_date", "working_days": 20}', "attachments": "[]"}
    bad_fields = [{**kind.fields[0], "type": "colour"}] + kind.fields[1:]
    form = ReportKindForm(data={**data, "fields": json.dumps(bad_fields), "checks": json.dumps(kind.checks)},
                          instance=kind)
    assert not form.is_valid() and "fields[0].type" in str(form.errors["fields"])
    form = ReportKindForm(data={**data, "fields": json.dumps(kind.fields),
                                "checks": '[{"rule": "quorum", "entitled": "nobody", "present": "delegates_present"}]'},
                          instance=kind)
    assert not form.is_valid() and "checks[0].entitled" in str(form.errors["checks"])
    form = ReportKindForm(data={**data, "fields": json.dumps(kind.fields), "checks": json.dumps(kind.checks)},
                          instance=kind)
    assert form.is_valid(), form.errors

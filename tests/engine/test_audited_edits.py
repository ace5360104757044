"""workflows.audited_edits.edit_locked through the toy's round: the row is
read locked, the caller's rules are judged on the locked row, one audit
entry names the actor with each changed field's old and new value, and a
refused edit writes nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.engine.toy.models import ToyRound
from workflows.audit import history_of
from workflows.audited_edits import edit_locked
from workflows.exceptions import RuleViolation

FIELDS = ("title", "issuer", "notice_days")


@pytest.fixture
def toy_round(people):
    return ToyRound.objects.create(code="r2026", year=2026, title="2026 toy round", district=people.district,
                                   submission_deadline=timezone.now() + datetime.timedelta(days=10))


def _edit(toy_round, people, changes, check=lambda locked: None):
    return edit_locked(toy_round, changes, fields=FIELDS, check=check, action="toy.round.edited",
                       actor=people.admin, organisation=lambda locked: locked.district, role="district_admin",
                       ip="10.0.0.1")


def test_an_edit_saves_the_row_and_writes_one_entry_with_old_and_new_values(toy_round, people):
    changed = _edit(toy_round, people, {"title": "2026 round (corrected)", "notice_days": 7})

    assert changed == {"title": ["2026 toy round", "2026 round (corrected)"], "notice_days": [5, 7]}
    row = ToyRound.objects.get(pk=toy_round.pk)
    assert (row.title, row.notice_days) == ("2026 round (corrected)", 7)
    assert (toy_round.title, toy_round.notice_days) == ("2026 round (corrected)", 7)  # the caller's copy too
    entries = list(history_of(toy_round))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == "toy.round.edited"
    assert entry.actor == people.admin
    assert entry.organisation == people.district
    assert entry.ip == "10.0.0.1"
    assert entry.data == {"title": ["2026 toy round", "2026 round (corrected)"], "notice_days": [5, 7]}


def test_an_unchanged_value_writes_no_entry(toy_round, people):
    assert _edit(toy_round, people, {"title": "2026 toy round"}) == {}
    assert not history_of(toy_round).exists()


def test_the_rules_are_judged_on_the_locked_row_as_it_is_now(toy_round, people):
    """The caller's copy is stale: another edit changed the issuer; the
    check sees the row as stored, not the caller's copy."""
    ToyRound.objects.filter(pk=toy_round.pk).update(issuer="Someone else's edit")
    seen = []

    def check(locked):
        seen.append(locked.issuer)

    _edit(toy_round, people, {"notice_days": 6}, check=check)
    assert seen == ["Someone else's edit"]
    # The caller's instance is brought up to date with the stored row.
    assert toy_round.issuer == "Someone else's edit"


def test_the_row_is_read_for_update(toy_round, people):
    with CaptureQueriesContext(connection) as queries:
        _edit(toy_round, people, {"notice_days": 6})
    reads = [q["sql"] for q in queries if 'FROM "toy_toyround"' in q["sql"] and q["sql"].startswith("SELECT")]
    assert reads, "the row was not read"
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]


def test_a_refused_edit_writes_nothing(toy_round, people):
    def check(locked):
        raise RuleViolation("Not while the round is open.")

    with pytest.raises(RuleViolation, match="Not while the round is open."):
        _edit(toy_round, people, {"title": "Changed", "notice_days": 9}, check=check)
    row = ToyRound.objects.get(pk=toy_round.pk)
    assert (row.title, row.notice_days) == ("2026 toy round", 5)
    assert not history_of(toy_round).exists()


def test_a_field_outside_the_editable_ones_is_refused_before_anything(toy_round, people):
    with pytest.raises(ValueError, match="code"):
        _edit(toy_round, people, {"code": "other"})
    assert ToyRound.objects.get(pk=toy_round.pk).code == "r2026"
    assert not history_of(toy_round).exists()

"""Secrecy by construction: no path from a ballot to a voter, a code, a
session, an address or an audit entry, in the schema or in the rows."""

import uuid

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models

from evaluations.cadres.models import Ballot, BallotGrade, Cadre, Evaluation, Voter, VotingCode
from workflows.models import AuditEntry

from .conftest import finish, grades_for

# The only models a ballot or its grades may point to.
ALLOWED_TARGETS = {Evaluation, Cadre, Ballot}


def _relations(model):
    return [f for f in model._meta.get_fields() if f.is_relation]


def test_ballot_schema_has_no_path_to_a_person_a_code_or_the_audit_log():
    for model in (Ballot, BallotGrade):
        fields = {f.name: f for f in model._meta.get_fields()}
        # Random primary key: no order of casting in the ids.
        assert isinstance(model._meta.pk, models.UUIDField) and model._meta.pk.default is uuid.uuid4
        # Nothing finer than the voting window: no date or time at all.
        assert not [f for f in model._meta.concrete_fields if isinstance(f, (models.DateField, models.TimeField))]
        # No column that could hold an address, a session, a user, a code.
        for name in fields:
            for word in ("ip", "user", "session", "voter", "code", "created", "time", "actor", "batch", "teller"):
                assert word not in name.split("_"), f"{model.__name__}.{name}"
        for f in _relations(model):
            target = f.related_model
            if f.many_to_one or f.one_to_one or f.many_to_many:
                if f.concrete or f.many_to_many:
                    assert target in ALLOWED_TARGETS, f"{model.__name__}.{f.name} → {target.__name__}"
            if f.one_to_many or (f.one_to_one and not f.concrete):
                # Reverse relations: only the grades hang off a ballot.
                assert (model, target) == (Ballot, BallotGrade), f"{model.__name__} ← {target.__name__}"
    # The register of codes knows only used or not, voided (a lost slip
    # replaced) and, in a weighted evaluation, the rater category the slip
    # is for, which every ballot of that category shares; no path to a ballot.
    code_fields = {f.name for f in VotingCode._meta.concrete_fields}
    assert code_fields == {"id", "evaluation", "code", "used", "voided", "category"}
    assert not [f for f in _relations(VotingCode) if f.related_model in (Ballot, BallotGrade)]
    # The voter list is not linked to a code or a ballot either.
    assert not [f for f in _relations(Voter) if f.related_model in (Ballot, BallotGrade, VotingCode)]
    # Nothing anywhere in the project points at a ballot but its grades.
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model in (Ballot, BallotGrade):
                assert model is BallotGrade, f"{model.__name__}.{f.name}"


@pytest.mark.django_db
def test_rows_name_no_voter_code_or_audit_entry(tree, make_evaluation, client):
    evaluation = make_evaluation(codes=3, entitled=4)
    Voter.objects.create(evaluation=evaluation, name="投票人甲", staff_number="A001")
    codes = list(VotingCode.objects.filter(evaluation=evaluation))
    for code in codes[:3]:
        page = client.post(f"/evaluations/vote/{evaluation.code}/", {
            "code": code.display, "action": "cast",
            **{f"cadre-{pk}": g for pk, g in grades_for(evaluation, "excellent", "basic", "", "competent").items()},
        })
        assert page.status_code == 200
    finish(tree, evaluation)

    secrets = {c.code for c in codes} | {"投票人甲", "A001", "127.0.0.1"}
    secrets |= set(Session.objects.values_list("session_key", flat=True))
    audit = list(AuditEntry.objects.all())
    # Every value of every ballot row except its links to the evaluation and
    # the cadre (the only foreign keys, checked by the schema test above).
    links = {"evaluation_id", "cadre_id", "ballot_id"}
    for ballot in Ballot.objects.all():
        values = {str(getattr(ballot, f.attname)) for f in Ballot._meta.concrete_fields if f.attname not in links}
        for grade in ballot.grades.all():
            values |= {str(getattr(grade, f.attname)) for f in BallotGrade._meta.concrete_fields
                       if f.attname not in links}
        assert not values & secrets
        assert not any(secret in value for value in values for secret in secrets if secret)
    # The audit log counts ballots and never names one.
    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    ballot_ids = {str(pk) for pk in Ballot.objects.values_list("pk", flat=True)}
    for entry in audit:
        text = f"{entry.comment} {entry.data} {entry.object_id}"
        assert not any(r in text for r in receipts) and not any(b in text for b in ballot_ids)
        assert not any(c.code in text for c in codes)
    counted = [e for e in audit if e.action == "cadres.evaluation.ballots_counted"]
    assert counted and counted[0].data["ballots"] == 3
    assert not [e for e in audit if "cast" in e.action]

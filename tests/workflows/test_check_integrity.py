"""`manage.py check_integrity` finds a case whose state and open tasks
disagree, and passes on sound ones."""

import io

import pytest
from django.core.management import CommandError, call_command

from awards.mayday import services
from awards.mayday.models import Nomination


def test_sound_cases_pass_and_a_state_changed_behind_the_engine_is_named(tree, make_nomination):
    n = make_nomination()
    services.nomination_approve(nomination=n, actor=tree.chair)
    out = io.StringIO()
    call_command("check_integrity", "--no-documents", stdout=out)
    assert "0 violations" in out.getvalue()

    Nomination.objects.filter(pk=n.pk).update(state="awarded")  # behind the engine's back
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", "--no-documents", stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    assert f"Nomination #{n.pk}: state 'awarded', last audit entry says 'confirmed'" in report
    assert f"Nomination #{n.pk} (awarded): no step is open in this state, yet tasks are" in report


def test_a_certificate_left_without_its_pdf_is_named(make_nomination, award, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the process died before the hand-over
        certificate = award(make_nomination())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=io.StringIO(), stderr=err)
    assert f"certificate #{certificate.pk} {certificate.number}: no document (rendering pending" in err.getvalue()

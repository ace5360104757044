"""Parts of a process's own pages, run with the toy process: a case's
document printed by the engine's command as the process registered it
(refused where the process refuses), a form whose valid post runs the
service (asking first where final, a refusal said above the form with
what was typed), and the roll call (searched, signed in by whoever keeps
the roll, refused to others)."""

import pytest
from django import forms
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import RequestFactory

from tests.engine.toy.models import ToyCase
from workflows.documents import case_documents
from workflows.documents.case_documents import CaseDocument, register_case_document
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.pages.action import action_page
from workflows.pages.roll import roll_page

pytestmark = pytest.mark.django_db


def _refuse_drafts(case):
    if case.state == "draft":
        raise RuleViolation("Not handed in yet.")


@pytest.fixture
def summary(monkeypatch):
    monkeypatch.setattr(case_documents, "_DOCUMENTS", {})
    register_case_document("toy", CaseDocument("summary", "Summary", {"txt": lambda case: case.title.encode()},
                                                lookup="title", check=_refuse_drafts))


def test_the_command_prints_what_the_process_registered(people, journey, summary, tmp_path):
    journey.submitted(title="甲")
    out = tmp_path / "summary.txt"
    call_command("export_case_document", process="toy", document="summary", case="甲", output=str(out))
    assert out.read_bytes() == "甲".encode()
    ToyCase.objects.create(title="乙", organisation=people.unit, created_by=people.submitter)
    with pytest.raises(CommandError, match="Not handed in yet"):
        call_command("export_case_document", process="toy", document="summary", case="乙", output=str(out))
    with pytest.raises(CommandError, match="No case"):
        call_command("export_case_document", process="toy", document="summary", case="丙", output=str(out))
    with pytest.raises(CommandError, match="no such document"):
        call_command("export_case_document", process="toy", document="nothing", case="甲", output=str(out))


class CountForm(forms.Form):
    count = forms.IntegerField(min_value=1)


def _post(user, data):
    request = RequestFactory().post("/x/", data)
    request.user = user
    return request


def test_a_form_runs_its_service_once_confirmed(people):
    ran = []

    def run(data):
        if data["count"] == 13:
            raise RuleViolation("Unlucky.")
        ran.append(data["count"])
        return HttpResponse("done")

    def page(data):
        return action_page(request, CountForm(data), run=run, invalid=["Correct it."], title="Count", submit="Go",
                           confirm=lambda d: {"lines": [f"Count {d['count']}?"], "hidden": [("count", d["count"])],
                                              "submit": "Yes", "back_url": "/", "back_label": "No"})
    request = _post(people.submitter, {"count": "x"})
    response = page(request.POST)
    assert response.status_code == 400 and "Correct it." in response.content.decode() and not ran
    request = _post(people.submitter, {"count": "3"})
    response = page(request.POST)
    assert response.status_code == 200 and "Count 3?" in response.content.decode() and not ran
    request = _post(people.submitter, {"count": "13", "confirmed": "1"})
    response = page(request.POST)
    assert response.status_code == 400 and "Unlucky." in response.content.decode() and 'value="13"' in response.content.decode()
    request = _post(people.submitter, {"count": "3", "confirmed": "1"})
    assert page(request.POST).content == b"done" and ran == [3]


def test_the_roll_call(people, journey):
    from django.contrib.auth import get_user_model

    case = journey.submitted(title="甲")
    users = get_user_model().objects.filter(username__in=["inspector1", "inspector2"]).order_by("username")
    signed = []

    def roll(request, may_keep=True):
        return roll_page(request, case, users.annotate(signed_in=models_value(False)), search=("username",),
                         columns=[("Name", lambda u: u.username)], may_keep=may_keep, may_sign=may_keep,
                         sign=lambda person, present: signed.append((person.username, present)),
                         refused="Not yours.", note="Who came.", empty="Nobody.")

    request = RequestFactory().get("/roll/", {"q": "inspector2"})
    request.user = people.submitter
    html = roll(request).content.decode()
    assert "inspector2" in html and "0 / 2" in html and html.count('name="person"') == 1  # one found
    request = _post(people.submitter, {"person": str(users[0].pk), "signed_in": "1"})
    assert roll(request).status_code == 302 and signed == [("inspector1", True)]
    with pytest.raises(NotAllowed):
        roll(_post(people.reviewer, {"person": str(users[0].pk), "signed_in": "1"}), may_keep=False)
    with pytest.raises(NotAllowed):
        roll(_post(people.submitter, {"person": "x", "signed_in": "1"}))


def models_value(value):
    from django.db.models import BooleanField, Value

    return Value(value, output_field=BooleanField())


def test_pairs_typed_one_a_line():
    from workflows.pages.lines import PairsField

    def read(number, name, figure, items):
        if not figure.isdigit():
            raise forms.ValidationError(f"Line {number}: a figure.")
        return (name, int(figure))

    field = PairsField(read=read, last=True, colons=True)
    assert field.clean("甲，1\n\n乙, 2\n丙,丁：3") == [("甲", 1), ("乙", 2), ("丙,丁", 3)]
    with pytest.raises(forms.ValidationError) as wrong:
        field.clean("甲\n乙，二\n丙，3")
    assert wrong.value.messages == ["Line 1: a figure.", "Line 2: a figure."]
    assert field.prepare_value([("甲", 1), ("乙", 2)]) == "甲，1\n乙，2"

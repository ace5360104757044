"""The engine's page parts a process's pages are built of, on the toy
process: a list grouped by category and organisation
(workflows.pages.listing), the working days per declared step on a
round's form (workflows.steps.deadline_fields), the checks of a person's
details (workflows.dataforms.person_checks)."""

import datetime

from django import forms

from tests.conftest import make_org, valid_id_number
from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyCase
from workflows.dataforms.person_checks import PersonChecksMixin
from workflows.models import OrgKind
from workflows.pages.listing import grouped_by
from workflows.steps.deadline_fields import StepDeadlinesMixin


def test_grouped_by_category_then_organisation_in_tree_order_then_name(people):
    other = make_org("甲二厂工会", "unit-2", OrgKind.GRASSROOTS, people.town)
    made = [ToyCase.objects.create(title=title, category=category, organisation=org, created_by=people.submitter)
            for title, category, org in [("乙", "small", other), ("甲", "small", people.unit),
                                         ("丙", "large", people.unit), ("丁", "small", people.unit)]]
    groups = grouped_by(made, field="category", order=["large", "small"], label=str.upper, name=lambda c: c.title,
                        row=lambda c: c.title)
    assert [(g["category"], g["label"], g["count"]) for g in groups] == [("large", "LARGE", 1), ("small", "SMALL", 3)]
    small = groups[1]["organisations"]
    assert [(b["organisation"], b["rows"]) for b in small] == [(people.unit, sorted(["甲", "丁"])), (other, ["乙"])]


class RoundForm(StepDeadlinesMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_deadline_fields(TOY)


def test_a_number_of_working_days_per_step_with_a_deadline():
    steps = [step for step in TOY.steps if step.deadline_days]
    form = RoundForm()
    assert [f.name for f in form.deadline_fields()] == [f"deadline_{step.name}" for step in steps]
    assert [f.initial for f in form.deadline_fields()] == [step.deadline_days for step in steps]
    typed = {f"deadline_{step.name}": str(n) for n, step in enumerate(steps, start=7)}
    form = RoundForm(typed)
    assert form.is_valid() and form.deadline_days() == {step.name: n for n, step in enumerate(steps, start=7)}
    assert not RoundForm({**typed, f"deadline_{steps[0].name}": "61"}).is_valid()


class PersonForm(PersonChecksMixin, forms.Form):
    id_number = forms.CharField(required=False)
    birth_date = forms.DateField(required=False)
    contact_phone = forms.CharField(required=False)


def test_a_persons_details_are_checked_together():
    number = valid_id_number("11010119850301123")
    form = PersonForm({"id_number": number.lower(), "birth_date": "1985-03-01", "contact_phone": "023-1234 5678"})
    assert form.is_valid() and form.cleaned_data["id_number"] == number.upper()
    form = PersonForm({"id_number": number, "birth_date": "1985-03-02", "contact_phone": "电话"})
    assert not form.is_valid() and set(form.errors) == {"birth_date", "contact_phone"}
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert "birth_date" in PersonForm({"birth_date": tomorrow.isoformat()}).errors
    assert "id_number" in PersonForm({"id_number": "110101198503011230"}).errors


def test_a_case_form_page_with_a_process_s_buttons_keeps_a_file_across_a_rule_s_refusal(
        people, client, django_capture_on_commit_callbacks):
    """workflows.cases.case_form_page: the process's buttons in place of the
    state's, its parts' static files and context; a refusal of its rule
    (save_case_form given the form) holds the chosen file for the next post."""
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PDF_BYTES
    from workflows.models import Attachment

    client.force_login(people.submitter)
    page = client.get("/toy/new/")
    html = page.content.decode()
    assert 'value="hand_in"' in html and "Hand in the toy case" in html and 'value="draft"' not in html
    assert "css/score-sheet.css" in html and "js/score-totals.js" in html and page.context["toy_note"]
    upload = SimpleUploadedFile("决议.pdf", PDF_BYTES, content_type="application/pdf")
    refused = client.post("/toy/new/", {"title": "refused", "action": "hand_in", "attachments": upload})
    html = refused.content.decode()
    assert refused.status_code == 200 and "The toy refuses this title." in html
    assert not ToyCase.objects.exists() and not Attachment.objects.exists()
    key = re.search(r'name="held_attachments" value="([0-9a-f]+)"', html).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post("/toy/new/", {"title": "accepted", "action": "hand_in", "held_attachments": [key]})
    case = ToyCase.objects.get()
    assert saved.status_code == 302 and case.title == "accepted"
    assert [a.original_name for a in Attachment.objects.filter(case_id=case.pk)] == ["决议.pdf"]

"""Forms of the engine's pages: objections on a public notice, findings,
delegations, declared conflicts, reassignment. Each lists its fields; none
carries a state, an actor or an approver."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ConflictDeclaration, ConflictRelation, ObjectorKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObjectionForm(forms.Form):
    """Captcha-free; the view rate-limits it per address. Which fields are
    required depends on who objects; workflows.notices.lodge_objection
    checks them all and its messages land on the fields."""

    objector_kind = forms.ChoiceField(label=_("Who objects"), choices=ObjectorKind.choices, widget=forms.RadioSelect)
    unit_name = forms.CharField(label=_("Unit name"), max_length=200, required=False)
    seal_scan = forms.FileField(
        label=_("Scan of the objection bearing the unit's seal"), required=False,
        help_text=_("PDF, JPG or PNG, at most 20 MB."),
    )
    person_name = forms.CharField(label=_("Real name"), max_length=100, required=False)
    contact = forms.CharField(label=_("Contact (phone or address)"), max_length=100, required=False)
    text = forms.CharField(label=_("Objection"), widget=forms.Textarea, max_length=5000, required=False)


class FindingForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("0", _("Dismissed: the objection does not hold")), ("1", _("Upheld: the case is rejected"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
    finding = forms.CharField(label=_("Finding of the investigation"), widget=forms.Textarea, max_length=5000)


def _user_label(user):
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


class DelegationForm(forms.Form):
    principal = UserChoiceField(label=_("Absent user"), queryset=get_user_model().objects.none(), required=False)
    substitute = UserChoiceField(label=_("Substitute"), queryset=get_user_model().objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, candidates, principals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = candidates
        if principals is None:
            del self.fields["principal"]
        else:
            self.fields["principal"].queryset = principals
            self.fields["principal"].required = True
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + datetime.timedelta(days=7))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period ends before it starts."))
        return data


class ConflictForm(forms.ModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["relation", "person_name", "person_id_number", "organisation", "reason"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person_id_number"].help_text = _("For yourself, your own ID number.")

    def clean(self):
        data = super().clean()
        relation = data.get("relation")
        person = (data.get("person_name") or "").strip() or (data.get("person_id_number") or "").strip()
        if relation == ConflictRelation.SELF and not (data.get("person_id_number") or "").strip():
            self.add_error("person_id_number", _("Give your own ID number."))
        elif relation == ConflictRelation.UNIT and not data.get("organisation"):
            self.add_error("organisation", _("Choose the unit."))
        elif not person and not data.get("organisation"):
            raise forms.ValidationError(_("Name a person or an organisation."))
        return data


class ReassignForm(forms.Form):
    to_user = UserChoiceField(label=_("Give the step to"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=1000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = candidates

"""Forms for delegations and declared conflicts of interest."""

import datetime
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from workflows.models import ConflictDeclaration
from workflows.organisations.recusal import conflict_problem


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        if data.get("relation"):
            # The service's own check (recusal.conflict_problem), as the admin's form asks it.
            problem = conflict_problem(
                relation=data["relation"], person_name=data.get("person_name"),
                person_id_number=data.get("person_id_number"), organisation=data.get("organisation"))
            if problem:
                self.add_error(problem[0], problem[1])
        return data


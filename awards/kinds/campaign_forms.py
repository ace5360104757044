"""Forms of the campaigns of kinds: opening a campaign, and the frame of an
application (the union and the applicant's name) around the version's own
fields (`workflows.dataforms.build_form_class`)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import StandardVersion

from .endings import code_problem
from .models import CampaignKind
from .scoring import inspectors_needed


class DeadlineField(forms.DateTimeField):
    """The submission deadline to the minute, Beijing time, that minute
    included (KindCampaign.submissions_close_at); in the future. A day
    typed without a time is that day's 23:59."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def __init__(self, *, future=True, **kwargs):
        self.future = future
        kwargs.setdefault("label", _("Submission deadline"))
        kwargs.setdefault("help_text", _("(that minute included, Beijing time)"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                value = datetime.datetime.combine(day, datetime.time(23, 59))
        return super().to_python(value)

    def clean(self, value):
        deadline = super().clean(value)
        if self.future and deadline is not None and deadline <= timezone.now():
            raise ValidationError(_("The submission deadline must be in the future."), code="past")
        return deadline


class CampaignOpenForm(forms.Form):
    # Each chosen kind is offered on its current version.
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds offered"), queryset=CampaignKind.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or more of your district's kinds: each is offered on its current version, with "
                    "its own form, route and what it ends in."),
        error_messages={"required": _("Choose at least one kind of campaign to offer."),
                        "invalid_choice": _("Only your district's kinds can be offered."),
                        "invalid_pk_value": _("Only your district's kinds can be offered.")})
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    code = forms.SlugField(
        label=_("Code"), max_length=50, required=False,
        help_text=_("Optional, e.g. mayday-2027: names the campaign's certificate series and its printing "
                    "(manage.py print_certificates --campaign). Left blank, the series is numbered by the "
                    "campaign itself."))
    deadline = DeadlineField()

    standard_version = forms.ModelChoiceField(
        label=_("Scoring standard"), queryset=StandardVersion.objects.none(), required=False,
        help_text=_("For a kind whose route has scoring by inspectors: the version of the district's scoring "
                    "standard they score against (it no longer changes once used)."))

    def __init__(self, *args, kinds, standards=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].queryset = kinds
        self.fields["kinds"].label_from_instance = _kind_label
        if standards is not None:
            self.fields["standard_version"].queryset = standards

    def clean_code(self):
        code = self.cleaned_data["code"] or None
        problem = code and code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean(self):
        cleaned = super().clean()
        kinds, year, deadline = cleaned.get("kinds"), cleaned.get("year"), cleaned.get("deadline")
        if kinds and len({kind.district_id for kind in kinds}) > 1:
            self.add_error("kinds", _("A campaign offers the kinds of one district only."))
        elif kinds and any(kind.current_version is None for kind in kinds):
            self.add_error("kinds", _("This kind has no version yet."))
        elif kinds and any(inspectors_needed(kind.current_version) for kind in kinds) \
                and not cleaned.get("standard_version"):
            self.add_error("standard_version", _("A kind offered has scoring in its route: choose the scoring "
                                                 "standard."))
        if year and deadline and timezone.localtime(deadline).year < year:
            self.add_error("deadline", _("The submission deadline must fall in or after the campaign's year."))
        return cleaned

    def versions(self):
        """The current version of each kind chosen, in the kinds' order."""
        return [kind.current_version for kind in self.cleaned_data["kinds"]]


def _kind_label(kind):
    current = kind.current_version
    return f"{current.title} v{current.number}" if current else kind.code


class CampaignCorrectForm(forms.Form):
    """The district administrator's correction of a running campaign: its
    title and its deadline (cases.do_correct_campaign judges them again)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    # A deadline left as it was may have passed (the title alone is then
    # corrected); a changed one must lie ahead, as the service says.
    deadline = DeadlineField(future=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, initial={"title": campaign.title,
                                         "deadline": timezone.localtime(campaign.deadline)}, **kwargs)
        self.campaign = campaign

    def changes(self):
        """{field: new value} of what differs from the campaign."""
        return {name: value for name, value in self.cleaned_data.items()
                if value != getattr(self.campaign, name)}


class CaseFrameForm(forms.Form):
    """Who the case is for; the version's fields come in a form of their own."""

    organisation = forms.ModelChoiceField(label=_("Union"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Applicant or candidate"), max_length=100)

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, prefix="case", **kwargs)
        self.fields["organisation"].queryset = unions

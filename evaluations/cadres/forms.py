from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.documents.xlsx_upload import XlsxField
from workflows.pages.lines import PairsField
from workflows.models import Membership

from .models import DEFAULT_CRITERIA, Evaluation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _cadre(number, name, post, _cadres):
    """A line of the cadres: (name, post)."""
    if not name or not post:
        raise forms.ValidationError(_("Line %(n)s: write “name, post”.") % {"n": number})
    if len(name) > 50 or len(post) > 100:
        raise forms.ValidationError(_("Line %(n)s: the name or the post is too long.") % {"n": number})
    return (name, post)


def _weight(number, category, weight, weights):
    """A line of the weights: [category, weight], each category once."""
    from .weights import MAX_WEIGHT

    if not category or not weight.isascii() or not weight.isdigit():
        raise forms.ValidationError(_("Line %(n)s: write “category, weight” with a whole number.") % {"n": number})
    if len(category) > 30:
        raise forms.ValidationError(_("Line %(n)s: the category is longer than 30 characters.") % {"n": number})
    if not 1 <= int(weight) <= MAX_WEIGHT:
        raise forms.ValidationError(_("Line %(n)s: a weight is between 1 and %(max)s.") % {"n": number, "max": MAX_WEIGHT})
    if category in (c for c, _w in weights):
        raise forms.ValidationError(_("Line %(n)s: the category %(category)s is listed twice.")
                                    % {"n": number, "category": category})
    return [category, int(weight)]


class EvaluationForm(forms.ModelForm):
    """The working body's set-up. The cadres are typed one per line as
    “name, post”; the criteria separated by commas."""

    organisation = forms.ModelChoiceField(queryset=None, label=gettext_lazy("unit"))
    cadres_text = PairsField(
        label=gettext_lazy("cadres to be evaluated"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One per line: name, post (e.g. 张伟，总经理)."), read=_cadre,
    )
    criteria_text = forms.CharField(
        label=gettext_lazy("criteria"), initial="、".join(DEFAULT_CRITERIA),
        help_text=gettext_lazy("Separated by 、 or commas."),
    )
    tellers = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=gettext_lazy("tellers"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Two tellers key every paper ballot, each on their own; a batch counts when both entries agree."),
    )
    weights_text = PairsField(
        label=gettext_lazy("weights by rater category"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. One per line: category, weight (e.g. 领导班子成员，30). "
                               "Leave empty to weigh every ballot the same."),
        read=_weight, last=True, colons=True,
    )

    class Meta:
        model = Evaluation
        fields = [
            "code", "year", "title", "method", "meeting_date", "voting_opens_at", "voting_closes_at",
            "entitled_count", "paper_ballots_issued", "quorum_numerator", "quorum_denominator",
            "void_if_over_issued", "rate_base", "warning_numerator", "warning_denominator",
            "removal_numerator", "removal_denominator", "rehearsal",
        ]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "voting_opens_at": DATETIME_WIDGET,
            "voting_closes_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk:
            # The unit and the code of an evaluation are fixed once made.
            del self.fields["organisation"]
            self.fields["code"].disabled = True
            self.initial.setdefault("cadres_text", [(c.name, c.post) for c in self.instance.cadres.all()])
            self.initial.setdefault("criteria_text", "、".join(self.instance.criteria))
            self.initial.setdefault("tellers", list(self.instance.tellers.all()))
            self.initial.setdefault("weights_text", self.instance.category_weights)
            org = self.instance.organisation
        else:
            org = organisations.first() if organisations.count() == 1 else None
            if org is not None:
                self.initial.setdefault("organisation", org)
        unit_ids = [org.pk] if org is not None else list(organisations.values_list("pk", flat=True))
        members = Membership.objects.filter(organisation_id__in=unit_ids).values("user_id")
        self.fields["tellers"].queryset = get_user_model().objects.filter(pk__in=members).order_by("username")

    def plan(self):
        """{field: value} of the plan as typed, for the services (the code,
        once fixed, left out), with the criteria and weights read."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if not self.fields[name].disabled}
        return {**fields, "criteria": data["criteria_text"], "category_weights": data["weights_text"]}

    def clean_cadres_text(self):
        if not self.cleaned_data["cadres_text"]:
            raise forms.ValidationError(_("List at least one cadre."))
        return self.cleaned_data["cadres_text"]

    def clean_weights_text(self):
        """[[category, weight]] in the order typed; [] when empty."""
        if len(self.cleaned_data["weights_text"]) == 1:
            raise forms.ValidationError(_("Weights need at least two categories (or none)."))
        return self.cleaned_data["weights_text"]

    def clean_criteria_text(self):
        text = self.cleaned_data["criteria_text"]
        for sep in ("，", ",", "；", ";", " "):
            text = text.replace(sep, "、")
        criteria = [c.strip() for c in text.split("、") if c.strip()]
        if not criteria:
            raise forms.ValidationError(_("Give at least one criterion."))
        return criteria

    def clean(self):
        data = super().clean()
        opens, closes = data.get("voting_opens_at"), data.get("voting_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("voting_closes_at", _("The vote must close after it opens."))
        for prefix in ("quorum", "warning", "removal"):
            num, den = data.get(f"{prefix}_numerator"), data.get(f"{prefix}_denominator")
            if num is not None and den and num > den:
                self.add_error(f"{prefix}_numerator", _("A share cannot be more than the whole."))
        tellers = data.get("tellers")
        if tellers is not None and len(tellers) not in (0, 2):
            self.add_error("tellers", _("Name exactly two tellers (or none if there are no paper ballots)."))
        return data


class VoterImportForm(forms.Form):
    file = XlsxField(max_bytes=5 * 1024 * 1024,
        label=gettext_lazy("voter list (.xlsx)"),
        help_text=gettext_lazy("First row: 姓名, 部门, 工号 (and 类别, the rater category, for a weighted evaluation). "
                               "The list replaces the previous one and sets the entitled count."),
    )


class CodesForm(forms.Form):
    """How many codes, and for which of a weighted evaluation's rater
    categories (`categories`): required there; left out of an unweighted
    evaluation's form."""

    count = forms.IntegerField(label=gettext_lazy("number of codes"), min_value=1, max_value=5000)
    category = forms.ChoiceField(label=gettext_lazy("for the rater category"), required=False, choices=())

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if categories:
            self.fields["category"].choices = [(c, c) for c in categories]
            self.fields["category"].required = True
        else:
            del self.fields["category"]


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("voting code"), max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "placeholder": "7KQ4-M2XD-9PRT"}),
    )


class LostSlipForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("code of the lost slip"), max_length=30,
        help_text=gettext_lazy("As printed on the slip (or on its stub), e.g. 7KQ4-M2XD-9PRT."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

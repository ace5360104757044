"""The district's two remedies when a case's inspectors disagree, for every
process whose route sends named inspectors: one inspector who has submitted
scores again, or one more inspector scores; the case goes back to the
inspectors' step for them alone. The process gives its services and where
the forms are drawn (templates/workflows/scoring/_remedies.html, posting
`remedy` = "rescore" or "third" to the process's URL); the forms and the
post are these."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip

REMEDIES = ("rescore", "third")


def _named(user):
    return user.get_full_name() or user.get_username()


class RescoreForm(forms.Form):
    """The district asks one inspector who has submitted to score again."""

    inspection = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Inspector to re-score"))
    reason = forms.CharField(label=gettext_lazy("Why (the inspector reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, inspections, **kwargs):
        super().__init__(*args, prefix="rescore", **kwargs)
        self.fields["inspection"].queryset = inspections
        self.fields["inspection"].label_from_instance = lambda i: _named(i.inspector)


class ThirdInspectorForm(forms.Form):
    """The district names one more inspector."""

    inspector = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Third inspector"))
    reason = forms.CharField(label=gettext_lazy("Why (the inspector reads it)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, prefix="third", **kwargs)
        self.fields["inspector"].queryset = candidates
        self.fields["inspector"].label_from_instance = _named


def remedy_forms(case, *, submitted, candidates, data=None, chosen=None):
    """(rescore form, third-inspector form) for `case`: the inspections
    `submitted` to choose from, the `candidates` for a third; the one
    `chosen` bound to `data`."""
    initial = {"version": case.version}
    return (RescoreForm(data if chosen == "rescore" else None, initial=initial, inspections=submitted),
            ThirdInspectorForm(data if chosen == "third" else None, initial=initial, candidates=candidates))


def take_remedy(request, remedy_forms_, *, rescore, add_inspector):
    """The remedy posted (`remedy`: "rescore" or "third", its form bound in
    `remedy_forms_`) through the process's service: `rescore(inspection,
    reason, version, ip)` or `add_inspector(user, reason, version, ip)`.
    True when taken; False when refused (said in a message; the forms are
    drawn again with what was chosen and typed)."""
    choice = request.POST.get("remedy")
    form = remedy_forms_[0] if choice == "rescore" else remedy_forms_[1]
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        return False
    data = form.cleaned_data
    service, chosen = (rescore, data.get("inspection")) if choice == "rescore" else (add_inspector,
                                                                                       data.get("inspector"))
    try:
        service(chosen, data["reason"], data["version"], client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("Sent back to the inspectors' step: the inspector has a scoring task."))
    return True

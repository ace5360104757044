"""Forms of the public notice: an objection (public) and the district's finding on it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from workflows.models import ObjectorKind



class ObjectionForm(forms.Form):
    """Captcha-free; the view rate-limits it per address. Which fields are
    required depends on who objects; workflows.notices.services.lodge_objection
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


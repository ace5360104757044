"""Forms of the May Day award pages. Each lists its fields explicitly; the
state, the actor and the organisation a nomination belongs to are never
fields a user posts (the view and the services set them)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from workflows.attachments import services as attachment_services
from workflows.attachments.fields import MultipleAttachmentField
from workflows.dataforms.palette import DATE_WIDGET
from workflows.dataforms.person_checks import PersonChecksMixin
from workflows.quotas.forms import NewPlacesMixin
from workflows.steps.deadline_fields import StepDeadlinesMixin

from awards.mayday.campaign_edits import EDITABLE, campaign_problems
from awards.mayday.declaration import MAYDAY
from awards.mayday.models import (
    DEEDS_MAX,
    DEFAULT_NOTICE_FIELDS,
    NOTICE_FIELD_CHOICES,
    SUMMARY_MAX,
    AwardKind,
    Campaign,
    Nomination,
    NominationState,
)
from awards.mayday.selectors import COMMON_FIELDS, GROUP_FIELDS, INDIVIDUAL_FIELDS, KIND_LABELS, fields_of_kind

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# Campaigns ------------------------------------------------------------------

class CampaignForm(NewPlacesMixin, StepDeadlinesMixin, forms.ModelForm):
    """A campaign and its quota table: one number of places per
    intermediate union under the district and per award."""

    class Meta:
        model = Campaign
        # Its settings (campaign_edits.EDITABLE) but the JSON ones, which clean() gathers.
        fields = ["year", "code", *(name for name in EDITABLE if name not in ("notice_fields", "step_deadline_days"))]
        widgets = {"submission_deadline": DATETIME_WIDGET}

    published_fields = forms.MultipleChoiceField(
        label=_("Fields published on the public notice"), choices=NOTICE_FIELD_CHOICES,
        initial=DEFAULT_NOTICE_FIELDS, widget=forms.CheckboxSelectMultiple,
        help_text=_("ID numbers, phone numbers and dates of birth are never published."),
    )

    def __init__(self, *args, districts, intermediates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_deadline"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.districts = list(districts)
        if len(self.districts) > 1:
            self.fields["district"] = forms.ModelChoiceField(
                label=_("district federation"), queryset=None, empty_label=None
            )
            self.fields["district"].queryset = type(self.districts[0]).objects.filter(
                pk__in=[d.pk for d in self.districts]
            )
        self.add_deadline_fields(MAYDAY)  # the steps whose working days a campaign sets when it opens
        self.add_place_fields(intermediates, AwardKind.choices)

    def sections(self):
        """The form's parts on the engine's set-up page (workflows.cases.setup)."""
        own = [self[name] for name in ("district", "year", "code", "title", "submission_deadline") if name in self.fields]
        return [
            ("", "", own, ""),
            (_("Awards offered"), "", [self[f"offers_{kind}_award"] for kind in AwardKind.values], ""),
            ("", "", [self["certificate_number_format"], self["issuer"]], ""),
            (_("Public notice"), "", [self["notice_days"], self["published_fields"]], ""),
            (_("Working days per step"),
             _("Reminders go out before a step falls due; an overdue step is reported to the superior organisation."),
             self.deadline_fields(), ""),
            (_("Quotas"), _("Places per intermediate union and award. Awards the campaign does not offer are ignored."),
             [], "workflows/quotas/_new_places.html"),
        ]

    def facts(self):
        """What the confirmation shows of the campaign about to open."""
        campaign = self.instance
        return [(_("Campaign"), f"{campaign.title} · {campaign.code} · {campaign.year}"),
                (_("Submission deadline"), date_format(timezone.localtime(campaign.submission_deadline), "Y-m-d H:i")),
                (_("Awards"), "、".join(str(AwardKind(kind).label) for kind in campaign.kinds)),
                (_("Places"), sum(count for _org, _kind, count in self.quotas()))]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if code == "new":
            raise ValidationError(_("This code is reserved; choose another."))
        return code

    def clean_submission_deadline(self):
        deadline = self.cleaned_data["submission_deadline"]
        if deadline <= timezone.now():
            raise ValidationError(_("The submission deadline must be in the future."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        # The campaign's JSON settings, gathered from plain inputs.
        self.instance.notice_fields = list(cleaned.get("published_fields") or [])
        self.instance.step_deadline_days = self.deadline_days()
        # Judged as a correction of them will be (awards.mayday.campaign_edits).
        values = {name: cleaned[name] for name in EDITABLE if name in cleaned}
        for field, problem in campaign_problems(self.instance, values).items():
            self.add_error(field if field in self.fields else None, problem)
        return cleaned

    @property
    def chosen_district(self):
        if "district" in self.fields:
            return self.cleaned_data["district"]
        return self.districts[0]

    def quotas(self):
        """(organisation, kind, count) for the awards the campaign offers."""
        return self.places(self.instance.kinds, self.chosen_district)


# Nominations ----------------------------------------------------------------

OPTIONAL_FIELDS = {
    AwardKind.INDIVIDUAL: {"honours", "sector"},
    AwardKind.UNIT: {"work_unit", "sector"},
    AwardKind.TEAM: {"sector"},
}


class NominationForm(PersonChecksMixin, forms.ModelForm):
    """One form for the three awards; the kind decides which fields it
    shows and which are required. `version` is the version the submitter
    edited: saving over a newer one is refused (409). The nominee's ID
    number, birth date and phone are checked as everywhere
    (workflows.dataforms.person_checks)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.ModelChoiceField(label=_("nominating union"), queryset=None, empty_label=None)
    attachments = MultipleAttachmentField(
        label=_("Attachments"),
        required=False,
        help_text=_("The workers' congress minutes and other supporting papers: PDF, JPG, PNG or DOCX, up to 20 MB each."),
    )

    class Meta:
        model = Nomination
        # The fields of every kind, in the page's order.
        fields = list(dict.fromkeys(INDIVIDUAL_FIELDS + GROUP_FIELDS + COMMON_FIELDS))
        widgets = {
            "birth_date": DATE_WIDGET,
            "congress_discussed_on": DATE_WIDGET,
            "honours": forms.Textarea(attrs={"rows": 3}),
            "deeds": forms.Textarea(attrs={"rows": 14}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organisations=(), **kwargs):
        """A new nomination (its kind set) by one of `organisations`; an
        existing one stays with its union; a returned one says what changed."""
        super().__init__(*args, **kwargs)
        kind = self.instance.kind
        wanted = fields_of_kind(kind)
        for name in list(self.fields):
            if name in self.Meta.fields and name not in wanted:
                del self.fields[name]
        for name in wanted:
            self.fields[name].required = name not in OPTIONAL_FIELDS[kind]
        for name, label in KIND_LABELS.get(kind, {}).items():
            self.fields[name].label = label
        self.fields["deeds"].help_text = _("At most %(n)d characters.") % {"n": DEEDS_MAX}
        self.fields["summary"].help_text = _("At most %(n)d characters; for the judges.") % {"n": SUMMARY_MAX}
        self.fields["congress_discussed_on"].help_text = _("The minutes belong in the attachments.")

        if self.instance.pk:
            self.fields["version"].required = True
            self.initial["version"] = self.instance.version
            organisations = [self.instance.organisation]
        organisations = list(organisations)
        self.fields["organisation"].queryset = type(organisations[0]).objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            # Fixed: a single union, or an existing nomination (it stays where it was made).
            del self.fields["organisation"]
            self.fixed_organisation = organisations[0]
        else:
            self.fixed_organisation = None
        if not self.instance.pk and not self.is_bound and "sector" in self.fields and not self.initial.get("sector"):
            # The instance's blank sector is already in `initial`: replace it
            # with the nominating union's (setdefault would keep the blank).
            self.initial["sector"] = (self.fixed_organisation or organisations[0]).sector
        if self.instance.state == NominationState.RETURNED:
            self.fields["comment"] = forms.CharField(
                label=_("What was changed"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )

    @property
    def chosen_organisation(self):
        return self.fixed_organisation or self.cleaned_data["organisation"]

    def sections(self):
        """The form's parts on the engine's case form page
        (workflows.cases.case_form_page): the union chosen, the nominee's
        fields, then the common ones with the files, what was changed."""
        own = [self[name] for name in self.fields if name in self.Meta.fields and name not in COMMON_FIELDS]
        return [
            ("", [self[name] for name in ("organisation",) if name in self.fields], ""),
            (_("The nominee"), own, ""),
            (_("Deeds and dossier"), [self[name] for name in COMMON_FIELDS], "workflows/pages/_case_form_attachments.html"),
            ("", [self[name] for name in ("comment",) if name in self.fields], ""),
        ]

    def clean_nominee_name(self):
        return self.cleaned_data["nominee_name"].strip()

    def clean_congress_discussed_on(self):
        value = self.cleaned_data.get("congress_discussed_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("The workers' congress cannot have met in the future."))
        return value

    def unsaved_attachments(self):
        """Attachment objects for the service to save with the nomination
        (checked by content in the field's clean)."""
        return [attachment_services.from_upload(upload) for upload in self.cleaned_data.get("attachments") or []]

"""The awards' admin, for the district's data stewards. Nominations are
shown, never created, changed or deleted here: a case changes only through
awards.mayday.services, with an audit entry. Campaign titles, deadlines and
certificate settings may be corrected here, through
awards.mayday.campaign_edits (judged as the campaign form judges them,
audited); codes, quotas and mix rules not. Sign-off departments change
through awards.mayday.department_changes."""

from django import forms
from django.contrib import admin

from workflows.admin import ReadOnlyAdmin, ReadOnlyInline
from workflows.admin_changes import ThroughServices, add_problem
from workflows.admin_inlines import AttachmentInline, QuotaInline

from awards.mayday import campaign_edits, department_changes
from awards.mayday.models import Department, Campaign, Nomination, NominationRevision


class CampaignAdminForm(forms.ModelForm):
    """Judges the settings as campaign_edits.do_edit_campaign will (a
    certificate-number format that would give every certificate the same
    number is refused here, on the field)."""

    class Meta:
        model = Campaign
        fields = list(campaign_edits.EDITABLE)

    def clean(self):
        data = super().clean()
        values = {name: data[name] for name in campaign_edits.EDITABLE if name in data}
        for field, message in campaign_edits.campaign_problems(self.instance, values).items():
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Campaign)
class CampaignAdmin(ThroughServices, admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["title", "code", "year", "district", "submission_deadline"]
    list_filter = ["year"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "district", "year", "last_certificate_seq", "created_by", "created"]
    inlines = [QuotaInline]
    actions = None

    def has_add_permission(self, request):
        return False  # campaigns open through the campaign form, which audits it

    def has_delete_permission(self, request, obj=None):
        return False  # nominations, certificates and documents refer to it

    def save_model(self, request, obj, form, change):
        """A correction made here goes through the service: judged, audited."""
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in campaign_edits.EDITABLE}
        campaign_edits.do_edit_campaign(campaign=Campaign.objects.get(pk=obj.pk), changes=changes,
                                        acting_user=request.user, ip=self.ip(request))


class RevisionInline(ReadOnlyInline):
    model = NominationRevision
    fields = ["round", "created_by", "created"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """Shown, never added, changed or deleted: a case changes only through
    its services, with an audit entry."""

    list_display = ["nominee_name", "kind", "organisation", "campaign", "state", "submitted_at"]
    list_filter = ["state", "kind", "campaign"]
    search_fields = ["nominee_name", "work_unit"]
    list_select_related = ["organisation", "campaign"]
    readonly_fields = [
        "campaign", "kind", "organisation", "state", "version", "round", "created_by", "created", "submitted_at",
        "decided_at",
    ]
    inlines = [AttachmentInline, RevisionInline]


class DepartmentAdminForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = list(department_changes.FIELDS)

    def clean(self):
        data = super().clean()
        if data.get("organisation"):
            stored = Department.objects.filter(pk=self.instance.pk).select_related("organisation").first()
            add_problem(self, department_changes.department_problem(
                stored or Department(), organisation=data["organisation"], active=data.get("active", True),
                state_owned_only=data.get("state_owned_only", False)))
        return data


@admin.register(Department)
class DepartmentAdmin(ThroughServices, admin.ModelAdmin):
    """Added and changed through awards.mayday.department_changes (audited;
    a department with sign-offs awaiting its opinion keeps being asked).
    Never deleted: untick "active"."""

    form = DepartmentAdminForm
    list_display = ["organisation", "function", "state_owned_only", "active"]
    list_filter = ["function", "state_owned_only", "active"]
    autocomplete_fields = ["organisation"]
    actions = None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in department_changes.FIELDS}
        if change:
            department_changes.do_change_department(
                department=Department.objects.get(pk=obj.pk), acting_user=request.user, ip=self.ip(request),
                **{name: values[name] for name in form.changed_data if name in values})
        else:
            obj.pk = department_changes.do_create_department(
                **values, acting_user=request.user, ip=self.ip(request)).pk

"""The awards' admin, for the district's data stewards. Nominations are
shown, never created, changed or deleted here: a case changes only through
awards.mayday.services, with an audit entry. Campaign titles, deadlines and
certificate settings may be corrected here; codes, quotas and mix rules not."""

from django.contrib import admin
from django.db import transaction

from workflows.audit import log_action
from workflows.middleware import client_ip

from awards.mayday.models import Department, Attachment, Campaign, Nomination, NominationRevision, Quota


class QuotaInline(admin.TabularInline):
    """Shown, not edited: places change through awards.quotas.quota_set (the
    campaign's quota page), which checks what was shared and audits."""

    model = Quota
    fields = ["organisation", "kind", "count", "parent"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "year", "district", "submission_deadline"]
    list_filter = ["year"]
    search_fields = ["title", "code"]
    autocomplete_fields = ["district"]
    readonly_fields = ["last_certificate_seq", "created_by", "created"]
    inlines = [QuotaInline]

    def get_readonly_fields(self, request, obj=None):
        # Certificates and documents refer to a campaign by its code.
        return self.readonly_fields + (["code", "district", "year"] if obj is not None else [])

    def has_add_permission(self, request):
        return False  # campaigns open through the campaign form, which audits it

    def save_model(self, request, obj, form, change):
        """A correction made here is logged on the campaign like any other change."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if form.changed_data:
                log_action(
                    obj, "awards.campaign.edited", actor=request.user, organisation=obj.district,
                    ip=client_ip(request),
                    data={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
                )


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class RevisionInline(admin.TabularInline):
    model = NominationRevision
    fields = ["round", "created_by", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["nominee_name", "kind", "organisation", "campaign", "state", "submitted_at"]
    list_filter = ["state", "kind", "campaign"]
    search_fields = ["nominee_name", "work_unit"]
    list_select_related = ["organisation", "campaign"]
    readonly_fields = [
        "campaign", "kind", "organisation", "state", "version", "round", "created_by", "created", "submitted_at",
        "decided_at",
    ]
    inlines = [AttachmentInline, RevisionInline]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a case changes only through its services, with an audit entry

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "function", "state_owned_only", "active"]
    list_filter = ["function", "state_owned_only", "active"]
    autocomplete_fields = ["organisation"]

"""The awards' admin, for the district's data stewards. A nomination's
state only moves through awards.services (the decision forms), so the admin
shows it and never offers it as a field; nominations are never created or
deleted here either."""

from django.contrib import admin

from .models import Attachment, Campaign, Nomination, NominationRevision, Quota


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "year", "district", "submission_deadline"]
    list_filter = ["year"]
    search_fields = ["title", "code"]
    autocomplete_fields = ["district"]
    readonly_fields = ["last_certificate_seq", "created_by", "created"]
    inlines = [QuotaInline]


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

    def has_delete_permission(self, request, obj=None):
        return False

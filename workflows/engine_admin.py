"""Admin of the engine's deeper rules. Configuration (sign-off departments,
mix rules, declared conflicts) is edited here; records (notices,
objections, sign-offs, deadlines, delegations, notifications) are shown and
change only through their services."""

from django.contrib import admin

from .admin import ReadOnlyAdmin
from .models import (
    ConflictDeclaration,
    Delegation,
    Department,
    MixRule,
    Notification,
    NoticeEntry,
    Objection,
    PublicNotice,
    SignoffRequest,
    TaskDeadline,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "function", "state_owned_only", "active"]
    list_filter = ["function", "state_owned_only", "active"]
    autocomplete_fields = ["organisation"]


@admin.register(MixRule)
class MixRuleAdmin(ReadOnlyAdmin):
    """Rules are added and removed on the campaign's rules page, through
    services that validate and audit them."""

    list_display = ["__str__", "scope_type", "scope_id", "field", "comparison", "percent", "position"]
    list_filter = ["scope_type", "field", "comparison"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["user", "relation", "person_name", "organisation", "created"]
    list_filter = ["relation"]
    search_fields = ["user__username", "person_name", "person_id_number"]
    autocomplete_fields = ["organisation"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ["principal", "substitute", "starts_on", "ends_on", "revoked_at", "reason"]
    date_hierarchy = "starts_on"


class NoticeEntryInline(admin.TabularInline):
    model = NoticeEntry
    fields = ["position", "content_type", "object_id", "outcome", "resolved_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "opened_on", "closes_on", "window_days", "status"]
    list_filter = ["status"]
    inlines = [NoticeEntryInline]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "objector_kind", "created", "status", "found_at"]
    list_filter = ["status", "objector_kind"]
    search_fields = ["reference"]
    exclude = ["ip"]


@admin.register(SignoffRequest)
class SignoffRequestAdmin(ReadOnlyAdmin):
    list_display = ["department", "content_type", "object_id", "round", "status", "answered_by", "answered_at"]
    list_filter = ["status", "department"]


@admin.register(TaskDeadline)
class TaskDeadlineAdmin(ReadOnlyAdmin):
    list_display = ["step", "content_type", "object_id", "due_on", "reminded_at", "overdue_at"]
    list_filter = ["step"]
    date_hierarchy = "due_on"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "created", "read_at"]
    search_fields = ["user__username", "title"]
    date_hierarchy = "created"

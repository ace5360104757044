"""The engine's admin. The audit log, certificates and documents are
records: the admin shows them and refuses to add, change or delete one
(certificates are revoked through their service, never edited here)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from workflows.models import (
    AuditEntry, CalendarDay, Certificate, ConflictDeclaration, Delegation, Document, Membership, MixRule,
    Notification, NoticeEntry, Objection, Organisation, OutboxItem, PrintJob, PublicNotice, SignoffRequest, TaskDeadline,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View only: no add, change or delete permission, no bulk actions."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organisation"]


class ChildOrganisationInline(admin.TabularInline):
    model = Organisation
    fk_name = "parent"
    fields = ["name", "code", "kind", "sector"]
    extra = 0
    show_change_link = True
    verbose_name_plural = _("organisations directly below")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "sector", "parent"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path"]
    inlines = [ChildOrganisationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, MembershipInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created", "action", "actor_name", "organisation", "role", "from_state", "to_state", "decision"]
    list_filter = ["action", "role", "decision"]
    search_fields = ["action", "actor_name", "comment", "object_id"]
    date_hierarchy = "created"
    list_select_related = ["organisation"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "size", "created", "sha256"]
    list_filter = ["kind"]
    search_fields = ["title", "sha256"]
    date_hierarchy = "created"


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "award_title", "issued_on", "status", "owner_organisation"]
    list_filter = ["status", "series", "layout"]
    search_fields = ["number", "holder_name", "token"]
    date_hierarchy = "issued_on"
    list_select_related = ["owner_organisation"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Where the district enters a year's holidays before chinese-calendar
    knows them (public notices refuse to count days in an unknown year)."""

    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"


@admin.register(PrintJob)
class PrintJobAdmin(ReadOnlyAdmin):
    """Jobs are started, watched and retried from their own pages."""

    list_display = ["title", "status", "done", "total", "attempts", "created", "finished"]
    list_filter = ["status"]
    search_fields = ["title", "series"]
    date_hierarchy = "created"
    exclude = ["certificates"]


@admin.register(OutboxItem)
class OutboxItemAdmin(ReadOnlyAdmin):
    """Work owed after a commit: run by the task queue or the sweep, never
    edited by hand (a failed row shows its last error here)."""

    list_display = ["kind", "object_id", "state", "attempts", "max_attempts", "worker", "lease_until", "created",
                    "finished"]
    list_filter = ["state", "kind"]
    search_fields = ["object_id", "worker"]
    date_hierarchy = "created"


# The engine's deeper rules: configuration (sign-off departments, declared conflicts) is edited
# here; records (notices, objections, sign-offs, deadlines, delegations, notifications) are shown
# and change only through their services.

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

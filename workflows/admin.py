"""The engine's admin. The audit log, certificates and documents are
records: the admin shows them and refuses to add, change or delete one
(certificates are revoked through their service, never edited here).
Organisations, roles, declared conflicts and the working calendar are
changed here only through the services the pages use (admin_changes):
each change is audited with the acting user and has the consequences the
service gives it (rerouting, refusals)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from workflows.middleware import client_ip
from workflows.admin_changes import (
    CalendarDayAdminForm, ConflictAdminForm, MembershipAdminForm, OrganisationAdminForm, ThroughServices,
)
from workflows.notices import calendar_changes
from workflows.organisations import memberships, recusal, tree_changes

from workflows.models import (
    AccountProfile, AuditEntry, CalendarDay, Certificate, ConflictDeclaration, Delegation, Document, Membership, MixRule,
    Notification, NoticeEntry, Objection, Organisation, OutboxItem, PrintJob, PublicNotice, SignoffRequest, TaskDeadline,
)


class ReadOnly:
    """View only: no add, change or delete permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """View only, and no bulk actions."""

    actions = None


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Rows of a read-only page shown beside it, view only (a generic
    inline too: put it before GenericTabularInline)."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        # Every field shown, a method's value among them (the form would
        # refuse a name that is no model field).
        return list(self.fields or ()) or super().get_readonly_fields(request, obj)


class MembershipInline(admin.TabularInline):
    """Shown, not edited: roles are granted and taken away on the
    memberships' own admin page, through their services (audited, open
    steps looked after)."""

    model = Membership
    fields = ["organisation", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ChildOrganisationInline(admin.TabularInline):
    """Shown, not edited: each organisation is added or moved on its own
    page, through the service."""

    model = Organisation
    fk_name = "parent"
    fields = ["name", "code", "kind", "sector"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("organisations directly below")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def warn_stranded(model_admin, request, stranded):
    """Tell the admin user which open steps a lost role left without anyone to act."""
    if stranded:
        model_admin.message_user(request, ngettext(
            "%(n)d open step is left without anyone to act: grant the role again or reassign it.",
            "%(n)d open steps are left without anyone to act: grant the role again or reassign them.",
            len(stranded)) % {"n": len(stranded)}, messages.WARNING)


@admin.register(Organisation)
class OrganisationAdmin(ThroughServices, admin.ModelAdmin):
    """Added, corrected and moved through workflows.organisations.tree_changes
    (audited; a move that would leave open steps behind is refused). Never
    deleted here: cases, certificates and the audit log refer to it."""

    form = OrganisationAdminForm
    list_display = ["name", "code", "kind", "sector", "parent"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "established_on"]
    inlines = [ChildOrganisationInline]
    actions = None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in tree_changes.FIELDS}
        if change:
            changes = {name: values[name] for name in form.changed_data if name in values}
            tree_changes.do_change_organisation(
                organisation=Organisation.objects.get(pk=obj.pk), acting_user=request.user, ip=self.ip(request),
                **changes)
        else:
            created = tree_changes.do_create_organisation(**values, acting_user=request.user, ip=self.ip(request))
            obj.pk, obj.path = created.pk, created.path


@admin.register(Membership)
class MembershipAdmin(ThroughServices, admin.ModelAdmin):
    """Granted, changed and taken away through
    workflows.organisations.memberships: audited, and a role taken away
    hands its open steps on (see that module)."""

    form = MembershipAdminForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            stranded = memberships.do_change_membership(
                membership=Membership.objects.get(pk=obj.pk), user=data["user"], organisation=data["organisation"],
                role=data["role"], acting_user=request.user, ip=self.ip(request))
            warn_stranded(self, request, stranded)
        else:
            created = memberships.do_grant_membership(
                user=data["user"], organisation=data["organisation"], role=data["role"], acting_user=request.user,
                ip=self.ip(request))
            obj.pk = created.pk

    def delete_model(self, request, obj):
        stranded = memberships.do_revoke_membership(membership=obj, acting_user=request.user, ip=self.ip(request))
        warn_stranded(self, request, stranded)



User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


class AccountProfileInline(admin.StackedInline):
    """The mobile phone and the account's ids on 企业微信 and 钉钉, where
    the notices its holder chose go."""

    model = AccountProfile
    fields = ["phone", "wecom_userid", "dingtalk_userid", "must_change_password"]
    readonly_fields = ["must_change_password"]
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are made inactive, never deleted here: deleting one would
    take its roles and declared conflicts away with no audit entry."""

    inlines = [*BaseUserAdmin.inlines, AccountProfileInline, MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Making an account inactive goes through its service (audited, its
        open steps handed on); the other fields are saved as usual."""
        if not (change and "is_active" in form.changed_data):
            return super().save_model(request, obj, form, change)
        active, obj.is_active = obj.is_active, not obj.is_active
        super().save_model(request, obj, form, change)
        stranded = memberships.do_set_account_active(user=obj, active=active, acting_user=request.user,
                                                     ip=client_ip(request))
        warn_stranded(self, request, stranded)


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
class CalendarDayAdmin(ThroughServices, admin.ModelAdmin):
    """Where the district enters a year's holidays before chinese-calendar
    knows them (public notices refuse to count days in an unknown year),
    through workflows.notices.calendar_changes: audited, and refused for a
    day inside an open notice's window."""

    form = CalendarDayAdminForm
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        day = calendar_changes.do_set_calendar_day(
            date=data["date"], is_working_day=data["is_working_day"], name=data["name"],
            day=obj if change else None, acting_user=request.user, ip=self.ip(request))
        obj.pk = day.pk

    def delete_model(self, request, obj):
        calendar_changes.do_remove_calendar_day(day=obj, acting_user=request.user, ip=self.ip(request))


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


# The engine's deeper rules: configuration (organisations, roles, declared conflicts, the working
# calendar) is edited here through the services the pages use; records (notices, objections,
# sign-offs, deadlines, delegations, notifications) are shown and change only through their services.

@admin.register(MixRule)
class MixRuleAdmin(ReadOnlyAdmin):
    """Rules are added and removed on the campaign's rules page, through
    services that validate and audit them."""

    list_display = ["__str__", "scope_type", "scope_id", "field", "comparison", "percent", "position"]
    list_filter = ["scope_type", "field", "comparison"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ThroughServices, admin.ModelAdmin):
    """Declared through recusal.conflict_declare (audited; the reviewer's
    open steps the declaration bars are rerouted, as on the page) and
    withdrawn through recusal.do_withdraw_conflict (audited; refused while
    it covers a case with an open review step). A declaration is not
    edited: withdraw it and declare again."""

    form = ConflictAdminForm
    list_display = ["user", "relation", "person_name", "organisation", "created"]
    list_filter = ["relation"]
    search_fields = ["user__username", "person_name", "person_id_number"]
    autocomplete_fields = ["user", "organisation"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        declaration = recusal.conflict_declare(
            reviewer=data["user"], relation=data["relation"], person_name=data["person_name"],
            person_id_number=data["person_id_number"], organisation=data["organisation"], reason=data["reason"],
            actor=request.user, ip=self.ip(request))
        obj.pk = declaration.pk
        if declaration.rerouted:
            self.message_user(request, ngettext(
                "%(n)d open step now goes to someone else.", "%(n)d open steps now go to someone else.",
                declaration.rerouted) % {"n": declaration.rerouted}, messages.INFO)

    def delete_model(self, request, obj):
        recusal.do_withdraw_conflict(declaration=obj, acting_user=request.user, ip=self.ip(request))


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


# The notification channels' admin lives beside this one.
from workflows import admin_channels  # noqa: E402,F401

from django.contrib import admin

from .models import CoverageTarget, OrganisationFacts, Report, ReportingPeriod, ReportKind


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "period", "ordering")


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "target", "unit", "ordering")
    list_editable = ("target",)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "half", "due_on")
    # Opening a period creates the due reports: only the service does that.
    readonly_fields = ("kind", "year", "half", "district", "sectors", "opened_by", "created")

    def has_add_permission(self, request):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: a report changes only through its services (audited)."""

    list_display = ("organisation", "kind", "period", "state", "due_on")
    list_filter = ("state", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganisationFacts)
class OrganisationFactsAdmin(admin.ModelAdmin):
    list_display = ("organisation", "year", "has_congress", "collective_contract", "updated")
    list_filter = ("year",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

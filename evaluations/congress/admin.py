from django import forms
from django.contrib import admin

from workflows.admin import ReadOnlyAdmin
from workflows.dataforms.completeness import problems_of_checks
from workflows.dataforms.definition import problems_of_fields

from .models import CoverageTarget, OrganisationFacts, Report, ReportingPeriod, ReportKind


class ReportKindForm(forms.ModelForm):
    """A kind's fields and checks are checked as the engine checks a form
    described as data, every problem named by its place, before any report
    is drawn from them."""

    class Meta:
        model = ReportKind
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        fields, checks = cleaned.get("fields"), cleaned.get("checks") or []
        if fields is not None:
            problems = [("fields", p) for p in problems_of_fields(fields)]
            problems += [("checks", p) for p in problems_of_checks(fields, checks)]
            for name, (place, message) in problems:
                self.add_error(name, f"{place}: {message}")
        return cleaned


@admin.register(ReportKind)
class ReportKindAdmin(admin.ModelAdmin):
    form = ReportKindForm
    list_display = ("name", "code", "period", "ordering")


@admin.register(CoverageTarget)
class CoverageTargetAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "target", "unit", "ordering")
    list_editable = ("target",)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "half", "due_on")
    # Opening a period creates the due reports: only the service does that;
    # its reports keep it (no deletion either).
    readonly_fields = ("kind", "year", "half", "district", "sectors", "opened_by", "created")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# View only: a report changes only through its services, the facts through
# theirs (workflows.unitfacts), both audited; neither is added, changed or
# deleted here.
@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "period", "state", "due_on")
    list_filter = ("state", "kind")


@admin.register(OrganisationFacts)
class OrganisationFactsAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "year", "has_congress", "collective_contract", "updated")
    list_filter = ("year",)

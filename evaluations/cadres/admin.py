"""The admin shows evaluations and their cadres, view only: an evaluation
changes on the unit's pages, through the services, with its audit trail.
Codes and ballots are not in the admin: the pages and commands are the only
way to them, so nobody browses codes or ballots side by side."""

from django.contrib import admin

from workflows.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Cadre, Evaluation


class CadreInline(ReadOnlyInline):
    model = Cadre
    fields = ["position", "name", "post"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "organisation", "year", "state", "outcome"]
    list_filter = ["year", "state", "outcome"]
    search_fields = ["code", "title", "organisation__name"]
    inlines = [CadreInline]

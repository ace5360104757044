"""What lets an admin page change data only through the services the app's
pages use: `ThroughServices`, a ModelAdmin mixin, and the engine's admin
forms, whose clean() asks the same questions the services ask (so a
refusal is a form error on the field, with the input kept).

A ModelAdmin using the mixin saves in `save_model` / `delete_model` by
calling a service (one transaction, row lock, audit entry naming
request.user, the service's consequences such as rerouting). Bulk
deletion calls `delete_model` for each row, all in one transaction. A
service that still refuses (the data changed between the form's check and
the save) rolls the whole request back and is shown as an error message."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from workflows.exceptions import AlreadyHandled, RuleViolation
from workflows.middleware import client_ip
from workflows.models import CalendarDay, ConflictDeclaration, Membership, Organisation
from workflows.notices.calendar_changes import calendar_day_problem
from workflows.organisations.memberships import membership_problem
from workflows.organisations.recusal import conflict_problem
from workflows.organisations.tree_changes import organisation_problem

REFUSED = (RuleViolation, AlreadyHandled)


class ThroughServices:
    """Mixin for a ModelAdmin whose save_model/delete_model call services."""

    def _refused(self, request, exc, url):
        self.message_user(request, exc.message, messages.ERROR)
        return HttpResponseRedirect(url)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSED as exc:
            return self._refused(request, exc, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except REFUSED as exc:
            opts = self.model._meta
            return self._refused(
                request, exc, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except REFUSED as exc:
            return self._refused(request, exc, request.get_full_path())

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    @staticmethod
    def ip(request):
        return client_ip(request)


def add_problem(form, problem):
    """Put a (field, message) problem on `form` (None: on the whole form)."""
    if problem:
        field, message = problem
        form.add_error(field if field in form.fields else None, message)


class OrganisationAdminForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "code", "kind", "sector", "parent", "dissolved_on"]

    def clean(self):
        data = super().clean()
        if data.get("kind"):
            add_problem(self, organisation_problem(self.instance, kind=data["kind"], parent=data.get("parent")))
        return data


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("organisation") and data.get("role"):
            problem = membership_problem(user=data["user"], organisation=data["organisation"], role=data["role"],
                                         exclude_pk=self.instance.pk)
            if problem:
                self.add_error("role", problem)
        return data


class ConflictAdminForm(forms.ModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["user", "relation", "person_name", "person_id_number", "organisation", "reason"]

    def clean(self):
        data = super().clean()
        if data.get("relation"):
            add_problem(self, conflict_problem(
                relation=data["relation"], person_name=data.get("person_name"),
                person_id_number=data.get("person_id_number"), organisation=data.get("organisation")))
        return data


class CalendarDayAdminForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "name"]

    def clean(self):
        data = super().clean()
        if data.get("date"):
            stored = self.instance.date if self.instance.pk else None
            problem = calendar_day_problem(stored, data["date"])
            if problem:
                self.add_error("date", problem)
        return data

"""Inlines a process's admin puts on its rounds and cases: the round's
quota places and the case's attachments, shown, never edited there (the
engine's quota pages and a case's own pages change them, checked and
audited): workflows.admin.ReadOnlyInline's kind."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.utils.translation import gettext_lazy as _

from workflows.admin import ReadOnlyInline
from workflows.models import Attachment, Quota


class QuotaFormSet(BaseGenericInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        # The name a round gives its GenericRelation to the quotas; the
        # round's admin page posted its inline under it before the quotas
        # moved into the engine.
        return "quotas"


class QuotaInline(ReadOnlyInline, GenericTabularInline):
    """A round's places (workflows.quotas), with the category's label."""

    model = Quota
    formset = QuotaFormSet
    ct_field, ct_fk_field = "scope_type", "scope_id"
    fields = ["organisation", "category_shown", "count", "parent"]

    @admin.display(description=_("category"))
    def category_shown(self, obj):
        return obj.category_label


class AttachmentInline(ReadOnlyInline, GenericTabularInline):
    """A case's files (workflows.attachments)."""

    model = Attachment
    ct_field, ct_fk_field = "case_type", "case_id"
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

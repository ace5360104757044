"""`{% load audit_labels %}{{ entry.action|action_label }}`: the label of an
audit action code for any history on a page (never the code itself)."""

from django import template

from workflows.audit import action_label as label_of

register = template.Library()


@register.filter
def action_label(code):
    return label_of(code)

"""What an admin page would post: its form as shown, with some values
changed, for tests that change data through the admin as a superuser does
(tests/engine/test_admin_open_steps.py).

tests/workflows/test_admin_changes.py imports them from here too."""

import datetime
import json

from django import forms
from django.urls import reverse
from django.utils import timezone

from workflows.models import AuditEntry


def _value(bound):
    value = bound.value()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _put(data, name, value):
    if isinstance(value, bool):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        data[f"{name}_0"], data[f"{name}_1"] = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
    elif isinstance(value, (list, dict)):
        data[name] = json.dumps(value)
    else:
        data[name] = "" if value is None else str(value)


def form_data(client, url, **changes):
    """What the admin page at `url` would post unchanged, with `changes`."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
            data[name] = [str(v) for v in form[name].value() or []]
        elif not field.disabled:
            _put(data, name, _value(form[name]))
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, bound in ((n, formset.management_form[n]) for n in formset.management_form.fields):
            data[f"{formset.prefix}-{name}"] = bound.value()
        for sub in formset.forms:
            for name in sub.fields:
                _put(data, sub.add_prefix(name), _value(sub[name]))
    for name, value in changes.items():
        _put(data, name, value)
    return data


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def post(client, model, action, *args, **changes):
    url = admin_url(model, action, *args)
    return client.post(url, form_data(client, url, **changes))


def errors_of(response):
    assert response.status_code == 200, response.status_code
    return str(response.context["adminform"].form.errors)


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))

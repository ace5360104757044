"""The district's save of the places per intermediate union (the rows of
selectors.quota_edit_rows, the form templates/workflows/quotas/_edit_places.html),
the same on every process's page that sets them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.quotas.selectors import quota_edit_rows
from workflows.quotas.services import save_places


def save_posted_places(request, scope, done_url):
    """(response, rows): saved, a redirect to `done_url` saying how many
    changed; refused, no response and the rows as the user typed them,
    with the reason said."""
    rows = quota_edit_rows(scope)
    try:
        changed = save_places(scope=scope, rows=rows, posted=request.POST, actor=request.user,
                              ip=client_ip(request))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        return None, quota_edit_rows(scope, posted=request.POST)
    messages.success(request, _("%(n)d quota(s) changed.") % {"n": changed})
    return redirect(done_url), rows

"""The POST of a campaign page's mix-rule part (`_rules.html`): add a rule
from the engine's form, or remove one, through the services. The including
view redirects when it answers True and shows the page again otherwise
(the form keeps what was typed, with the refusal above it)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip

from . import services

ACTIONS = ("add_rule", "delete_rule")


def rules_post(request, scope, form):
    """Handle action=add_rule (with `form`, bound to the POST) or
    action=delete_rule; True when a rule was added or removed."""
    action, ip = request.POST.get("action"), client_ip(request)
    try:
        if action == "delete_rule":
            rule = services.rule_of(scope, request.POST.get("rule"))
            services.rule_delete(rule=rule, actor=request.user, ip=ip)
            messages.success(request, _("The mix rule was removed."))
            return True
        if action == "add_rule" and form.is_valid():
            data = form.cleaned_data
            services.rule_create(scope=scope, field=data["field"], values=data["values"],
                                 comparison=data["comparison"], percent=data["percent"],
                                 applies_to=form.applies_to(), label=data["label"], actor=request.user, ip=ip)
            messages.success(request, _("The mix rule was added."))
            return True
    except RuleViolation as refusal:
        if action == "add_rule":
            form.add_error(None, refusal.message)
        else:
            messages.error(request, refusal.message)
        return False
    if action == "add_rule":
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return False

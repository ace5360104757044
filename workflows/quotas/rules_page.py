"""The district's page of a round's rules, the same for every process whose
rounds carry the engine's places (workflows.quotas) and mix rules
(workflows.mixrules): each intermediate union's places per category, and
the mix rules, a rule counted among all the round's cases or among one
category (an award). Who may change them is the schemes' setter at the
top of the tree; another user is refused with the process's words."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from workflows.exceptions import NotAllowed
from workflows.mixrules import rules_of
from workflows.mixrules.forms import MixRuleForm
from workflows.mixrules.pages import ACTIONS, rules_post
from workflows.mixrules.registry import scheme_for as mix_scheme_for
from workflows.organisations.access import has_role
from workflows.quotas.edit_page import save_posted_places
from workflows.quotas.registry import scheme_for
from workflows.quotas.selectors import quota_edit_rows


class CategoryMixRuleForm(MixRuleForm):
    """The engine's rule form over the mix scheme's fields, with the
    category a rule is counted among (`applies_to_<category field>`, blank:
    `all_label`, every category). The choice is offered only where the
    category is one of the mix scheme's fields: the rule service counts a
    rule among a field's value only then (mixrules.services), so a page
    never offers what its save would refuse."""

    def __init__(self, *args, scope, all_label, help_text="", **kwargs):
        super().__init__(*args, mix_fields=mix_scheme_for(scope).fields(scope), **kwargs)
        quotas = scheme_for(scope)
        self.category_field = quotas.category_field
        if self.category_field in self.mix_fields:
            self.fields[f"applies_to_{self.category_field}"] = forms.ChoiceField(
                label=_("Counted among"), required=False, choices=[("", all_label), *quotas.labels().items()])
        if help_text:
            self.fields["label"].help_text = help_text

    def applies_to(self):
        category = self.cleaned_data.get(f"applies_to_{self.category_field}")
        return {self.category_field: category} if category else {}


def rules_page(request, scope, *, refusal, all_label, help_text=""):
    """The page at `request.path`: action=quotas saves the places (all or
    nothing), add_rule / delete_rule a mix rule; each redirects back here
    once done, else the page again with what was typed and why not."""
    quotas = scheme_for(scope)
    if not has_role(request.user, quotas.setter_role, quotas.top(scope)):
        raise NotAllowed(refusal)
    action = request.POST.get("action") if request.method == "POST" else None
    rule_form = CategoryMixRuleForm(request.POST if action == "add_rule" else None, scope=scope,
                                    all_label=all_label, help_text=help_text)
    rows = quota_edit_rows(scope)
    if action == "quotas":
        response, rows = save_posted_places(request, scope, request.path)
        if response is not None:
            return response
    if action in ACTIONS and rules_post(request, scope, rule_form):
        return redirect(request.path)
    return render(request, "workflows/quotas/rules_page.html", {
        "scope": scope, "quota_rows": rows, "rules": rules_of(scope), "rule_form": rule_form,
        "quota_categories": [(code, quotas.label(code)) for code in quotas.categories(scope)],
    })

"""Sharing an intermediate union's places among its grassroots unions, for
any process with quotas (workflows.quotas.registry): who may share with
whom, the shares a user is concerned with, and the page (the form, then
the engine's `quota_share`)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Organisation, OrgKind
from workflows.organisations.access import has_role, memberships
from workflows.quotas.registry import scheme_for
from workflows.quotas.selectors import concerns, quota_tree
from workflows.quotas.services import quota_share


class QuotaShareForm(forms.Form):
    organisation = forms.ModelChoiceField(label=gettext_lazy("Grassroots union"), queryset=None)
    kind = forms.ChoiceField(choices=())
    count = forms.IntegerField(label=gettext_lazy("Places"), min_value=0, max_value=999)

    def __init__(self, *args, organisations, categories, category_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["kind"].choices = categories
        self.fields["kind"].label = category_label


def shareable_unions(user, scope):
    """Grassroots unions the user may share places with: under an
    intermediate union where they hold the sharer's role, or anywhere under
    the top for whoever sets the places there."""
    scheme = scheme_for(scope)
    top = scheme.top(scope)
    if has_role(user, scheme.setter_role, top):
        bases = [top.path]
    else:
        bases = [
            m.organisation.path for m in memberships(user)
            if m.role == scheme.sharer_role and m.organisation.kind == OrgKind.INTERMEDIATE
            and m.organisation.is_within(top)
        ]
    qs = Organisation.objects.none()
    for path in bases:
        qs = qs | Organisation.objects.filter(kind=OrgKind.GRASSROOTS, path__startswith=path)
    return qs.order_by("path")


def shares_seen(user, scope):
    """[(intermediate union's quota, [its shares])] the user is concerned with."""
    return [(parent, shares) for parent, shares in quota_tree(scope) if concerns(user, parent.organisation)]


def share_page(request, scope, *, category_label):
    """The page; `category_label` names the categories (an award, ...). A
    post that is invalid or refused comes back with what was typed and
    HTTP 400, as every engine form page answers."""
    scheme = scheme_for(scope)
    unions = shareable_unions(request.user, scope)
    if not unions.exists():
        raise NotAllowed(_("Only the intermediate union's reviewers share its places."))
    categories = [(code, scheme.label(code)) for code in scheme.categories(scope)]
    form = QuotaShareForm(request.POST or None, organisations=unions, categories=categories,
                          category_label=category_label)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                quota_share(scope=scope, organisation=data["organisation"], category=data["kind"],
                            count=data["count"], actor=request.user, ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The places are shared."))
                return redirect(scope)
        messages.error(request, _("Please correct the errors below."))
    return render(request, "workflows/quotas/share.html", {
        "scope": scope, "form": form, "category_label": category_label,
        "quota_shares": shares_seen(request.user, scope),
    }, status=400 if request.method == "POST" else 200)

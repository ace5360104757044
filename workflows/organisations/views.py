"""People and their duties: naming a substitute (delegation) and declaring conflicts of interest."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from workflows.organisations.access import memberships
from workflows.organisations.administration import is_district_admin
from workflows.organisations.delegation import delegation_create, delegation_revoke, eligible_substitutes
from workflows.organisations.forms import ConflictForm, DelegationForm
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.models import (
    ConflictDeclaration,
    Delegation,
    Membership,
    Organisation,
    OrgKind,
)
from workflows.organisations.recusal import conflict_declare



def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _colleagues(user):
    """Active users of the user's district (the tree under their root)."""
    roots = {m.organisation.ancestor_ids[0] for m in memberships(user) if m.organisation.ancestor_ids}
    paths = [org.path for org in Organisation.objects.filter(pk__in=roots)]
    user_ids = set()
    for path in paths:
        user_ids |= set(Membership.objects.filter(organisation__path__startswith=path).values_list("user_id", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


@login_required
@require_http_methods(["GET", "POST"])
def delegation_list(request):
    user = request.user
    admin = is_district_admin(user)
    colleagues = _colleagues(user)
    # Offer only peers or superiors of the absent user (workflows.organisations.delegation):
    # of the user, or of the absent user the administrator picked.
    principal = user
    if admin:
        principal = colleagues.filter(pk=_int_or_none(request.POST.get("principal"))).first()
    candidates = eligible_substitutes(principal, colleagues) if principal is not None else colleagues
    form = DelegationForm(request.POST or None, candidates=candidates, principals=colleagues if admin else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegation_create(
                    principal=data.get("principal") or user, substitute=data["substitute"],
                    starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"],
                    actor=user, ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The substitute is named."))
                return redirect("delegations")
        messages.error(request, _("Please correct the errors below."))
    given = Delegation.objects.filter(principal=user)
    if admin:
        given = Delegation.objects.filter(principal__in=_colleagues(user))
    return render(
        request, "workflows/engine/delegations.html",
        {
            "form": form,
            "given": given.select_related("principal", "substitute")[:100],
            "received": Delegation.objects.filter(substitute=user).select_related("principal")[:100],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def delegation_end(request, pk):
    user = request.user
    visible = Delegation.objects.filter(principal=user)
    if is_district_admin(user):
        visible = Delegation.objects.filter(principal__in=_colleagues(user))
    delegation = get_object_or_404(visible, pk=pk)
    delegation_revoke(delegation=delegation, actor=user, ip=client_ip(request))
    messages.success(request, _("The delegation has ended."))
    return redirect("delegations")


@login_required
@require_http_methods(["GET", "POST"])
def conflict_list(request):
    roots = [m.organisation.ancestor_ids[0] for m in memberships(request.user) if m.organisation.ancestor_ids]
    paths = [org.path for org in Organisation.objects.filter(pk__in=roots)]
    orgs = Organisation.objects.none()
    for path in paths:
        orgs = orgs | Organisation.objects.filter(
            path__startswith=path, kind__in=[OrgKind.INTERMEDIATE, OrgKind.GRASSROOTS, OrgKind.SUB_UNION]
        )
    form = ConflictForm(request.POST or None, organisations=orgs.order_by("path"))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                declaration = conflict_declare(
                    reviewer=request.user, relation=data["relation"], person_name=data["person_name"],
                    person_id_number=data["person_id_number"], organisation=data["organisation"],
                    reason=data["reason"], actor=request.user, ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your declaration is recorded."))
                if declaration.rerouted:
                    messages.info(
                        request,
                        ngettext(
                            "%(n)d open step now goes to someone else.",
                            "%(n)d open steps now go to someone else.",
                            declaration.rerouted,
                        ) % {"n": declaration.rerouted},
                    )
                return redirect("conflicts")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "workflows/engine/conflicts.html",
        {"form": form, "declarations": ConflictDeclaration.objects.filter(user=request.user).select_related("organisation")},
    )


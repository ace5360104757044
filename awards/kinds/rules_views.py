"""The pages of a campaign of a kind that hand its rules down the tree:
the district administrator's mix rules (mixrules.py) and an intermediate
union's page to share its places among its grassroots unions (the
engine's quotas). Thin: scoped look-ups (404 outside one's branch), then
the engine's services."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from awards.roles import Role
from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.mixrules import rules_of
from workflows.mixrules import services as mix_services
from workflows.mixrules.pages import ACTIONS, rules_post
from workflows.models import Organisation, OrgKind
from workflows.organisations.access import has_role, memberships
from workflows.quotas import selectors as quota_selectors
from workflows.quotas import services as quota_services
from workflows.quotas.rules_page import CategoryMixRuleForm

from . import selectors
from .mixrules import kind_field, mix_fields
from .quotas import closed_on


@login_required
@require_http_methods(["GET", "POST"])
def campaign_rules(request, pk):
    """The district administrator sets the campaign's mix rules over the
    choice and yes/no fields of the versions it offers, counted among all
    its cases or, when it offers several kinds, among one kind; they are
    checked at the final decision."""
    campaign = selectors.administered_campaign(request.user, pk)
    fields = mix_fields(campaign)
    posted = request.method == "POST" and request.POST.get("action") in ACTIONS
    form = KindMixRuleForm(request.POST if posted and request.POST["action"] == "add_rule" else None,
                           scope=campaign, all_label=_("All kinds offered"))
    if posted and rules_post(request, campaign, form):
        return redirect("kinds:campaign_rules", pk=campaign.pk)
    return render(request, "kinds/campaign_rules.html", {
        "campaign": campaign, "rules": rules_of(campaign), "rule_form": form, "has_fields": bool(fields),
        "figures": mix_services.figures_of(campaign),
    })


class KindMixRuleForm(CategoryMixRuleForm):
    """The engine's rule form with "counted among" one kind, offering only
    the kinds of this campaign (the quotas' labels name every district's
    kinds)."""

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, scope=scope, **kwargs)
        among = self.fields.get(f"applies_to_{self.category_field}")
        if among is not None:
            among.choices = [among.choices[0], *kind_field(scope).choices]


def sharing_unions(user, campaign):
    """The intermediate unions of the campaign's district whose places the
    user shares: where they are a reviewer (all of them for the district's
    administrator). A closed campaign's tree is the one it closed with
    (quotas.closed_on): a union set up later never had places in it."""
    unions = Organisation.objects.filter(kind=OrgKind.INTERMEDIATE, path__startswith=campaign.district.path)
    closed = closed_on(campaign)
    if closed is not None:
        unions = unions.exclude(established_on__gt=closed)
    if has_role(user, Role.DISTRICT_ADMIN, campaign.district):
        return unions.order_by("path")
    ids = [m.organisation_id for m in memberships(user) if m.role == Role.REVIEWER]
    return unions.filter(pk__in=ids).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def campaign_share(request, pk, org):
    """An intermediate union's reviewer shares the places the district gave
    it among its grassroots unions (the engine's quota_share, all or
    nothing); another branch's union is a 404."""
    campaign = selectors.campaign_for(request.user, pk)
    intermediate = sharing_unions(request.user, campaign).filter(pk=org).first()
    if intermediate is None:
        raise Http404()
    saved, rows = places_post(request, partial(_share_rows, campaign, intermediate),
                              partial(quota_services.save_shares, scope=campaign), _("%(n)d share(s) changed."))
    if saved:
        return redirect("kinds:campaign_share", pk=campaign.pk, org=intermediate.pk)
    return render(request, "kinds/campaign_share.html", {
        "campaign": campaign, "intermediate": intermediate, "quota_rows": rows,
        "quota_categories": categories_of(rows), "places": quota_selectors.places_of(campaign, intermediate),
    })


def _share_rows(campaign, intermediate, posted=None):
    """The engine's share rows of the intermediate union's grassroots
    unions; once the campaign has closed, those set up after it left out
    unless they hold a share (a row left out is left as it is on saving)."""
    rows = quota_selectors.share_edit_rows(campaign, intermediate, posted=posted)
    closed = closed_on(campaign)
    if closed is None:
        return rows
    return [row for row in rows if row["organisation"].established_on is None
            or row["organisation"].established_on <= closed or any(cell["count"] for cell in row["cells"])]


def places_post(request, rows_of, save, done):
    """A page of the engine's place rows (`_edit_places.html`): on POST,
    `save` them all or nothing. (True, rows) when saved, `done` said;
    else (False, rows), as typed when the save was refused (said)."""
    rows = rows_of()
    if request.method != "POST":
        return False, rows
    try:
        changed = save(rows=rows, posted=request.POST, actor=request.user, ip=client_ip(request))
    except RuleViolation as refusal:
        messages.error(request, refusal.message)
        return False, rows_of(posted=request.POST)
    messages.success(request, done % {"n": changed})
    return True, rows


def categories_of(rows):
    """The (code, label) columns of place rows."""
    return [(cell["kind"], cell["label"]) for cell in rows[0]["cells"]] if rows else []

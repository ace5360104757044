"""The mix rules of a campaign of a kind ("women at least 30 %", "at most
20 % from enterprise heads"), kept, checked and counted by the engine
(workflows.mixrules), as May Day's are.

A rule counts by a choice or yes/no field of the campaign's version (its
answers are JSON: the engine filters on `answers__<key>`). The figures
count the cases granted and those in play: from the district's review
onwards (a case still at its union or intermediate union may never reach
the district). The check runs at the final decision, under the
campaign's lock taken before the case's (endings.lock_first): a grant
that makes a rule unreachable, or a refusal that turns an "at least" rule
from reachable to unreachable, is refused naming the rule."""

from django.utils.translation import gettext_lazy as _

from awards.roles import Role
from workflows.mixrules import services as mix_services
from workflows.mixrules.registry import MixField, MixScheme, register_mix_rules

from .models import KindCampaign, KindCase, KindCaseState as S

# The field kinds a rule may count by: one stored value per case.
COUNTED_TYPES = ("choice", "yes_no")
IN_PLAY_STATES = [S.DISTRICT, S.SIGNOFFS, S.AWAITING_NOTICE, S.IN_NOTICE, S.DECIDING]
ADDED, REMOVED = "kinds.mix_rule.added", "kinds.mix_rule.removed"
ACTION_LABELS = {ADDED: _("Mix rule added"), REMOVED: _("Mix rule removed")}


def mix_fields(campaign):
    """The version's choice and yes/no fields, with their values as the
    answers store them (a yes/no answer is true or false)."""
    fields = []
    for spec in campaign.version.definition["fields"]:
        if spec["type"] == "choice":
            choices = [(c["value"], c["label"]) for c in spec["choices"]]
        elif spec["type"] == "yes_no":
            choices = [(True, _("Yes")), (False, _("No"))]
        else:
            continue
        fields.append(MixField(name=spec["key"], label=spec["label"], choices=choices,
                               lookup=f"answers__{spec['key']}"))
    return fields


def register():
    """Called from KindsConfig.ready."""
    register_mix_rules(KindCampaign, MixScheme(
        fields=mix_fields,
        granted=lambda campaign: KindCase.objects.filter(campaign=campaign, state=S.GRANTED),
        in_play=lambda campaign: KindCase.objects.filter(campaign=campaign, state__in=IN_PLAY_STATES),
        top=lambda campaign: campaign.district,
        setter_role=Role.DISTRICT_ADMIN,
        audit_prefix="kinds",
        model=KindCase,
    ))


def check_final_decision(case, decision):
    """The declaration's before_decision: an outcome that grants or refuses
    the case is checked against the campaign's rules."""
    if decision.code.startswith("outcome_"):
        mix_services.check_decision(case.campaign, case, granted=decision.target == S.GRANTED)

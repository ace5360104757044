"""The mix rules of a campaign of a kind ("women at least 30 %", "at most
20 % from enterprise heads"), kept, checked and counted by the engine
(workflows.mixrules), as May Day's are.

A rule counts by a choice, yes/no or sector field of any version the
campaign offers, by its key (its answers are JSON: the engine filters on
`answers__<key>`; a case whose kind has no such field counts among the
others), and, when the campaign offers several kinds, by the kind itself:
the quotas' category field, so that the engine's rule form offers to count
a rule among one kind (as May Day's among one award). The figures
count the cases granted and those in play: from the district's review
onwards (a case still at its union or intermediate union may never reach
the district). The check runs at the final decision, under the
campaign's lock taken before the case's (endings.lock_first): a grant
that makes a rule unreachable, or a refusal that turns an "at least" rule
from reachable to unreachable, is refused naming the rule."""

from django.utils.translation import gettext_lazy as _

from awards.roles import Role
from workflows.dataforms.palette import SectorField
from workflows.mixrules import services as mix_services
from workflows.mixrules.registry import MixField, MixScheme, register_mix_rules
from workflows.models import Sector

from .models import KindCampaign, KindCase, KindCaseState as S
from .quotas import CATEGORY_FIELD

IN_PLAY_STATES = [S.DISTRICT, S.SIGNOFFS, S.AWAITING_NOTICE, S.IN_NOTICE, S.DECIDING]
ADDED, REMOVED = "kinds.mix_rule.added", "kinds.mix_rule.removed"
ACTION_LABELS = {ADDED: _("Mix rule added"), REMOVED: _("Mix rule removed")}


def mix_fields(campaign):
    """The choice, yes/no and sector fields of the offered versions, by key
    (the first version's label; the values of every version sharing the
    key), with their values as the answers store them (a yes/no answer is
    true or false, a sector the engine's code); then the kind, when the
    campaign offers several."""
    labels, choices = {}, {}
    for version in campaign.offered_versions:
        for spec in version.definition["fields"]:
            if spec["type"] == "choice":
                values = [(c["value"], c["label"]) for c in spec["choices"]]
            elif spec["type"] == "yes_no":
                values = [(True, _("Yes")), (False, _("No"))]
            elif spec["type"] == SectorField.code:
                # Stored as the engine's sectors' codes, a blank one as the
                # applying union's (cases.answers_of).
                values = [(value, label) for value, label in Sector.choices if value]
            else:
                continue
            if spec["key"] == CATEGORY_FIELD:
                continue  # the kind's own name below
            labels.setdefault(spec["key"], spec["label"])
            known = choices.setdefault(spec["key"], [])
            known += [(value, label) for value, label in values if value not in {v for v, _l in known}]
    fields = [MixField(name=key, label=label, choices=choices[key], lookup=f"answers__{key}")
              for key, label in labels.items()]
    if campaign.has_several_kinds:
        fields.append(kind_field(campaign))
    return fields


def kind_field(campaign):
    """The kind of a case as a field a rule counts by or among."""
    return MixField(name=CATEGORY_FIELD, label=_("Kind of campaign"),
                    choices=[(v.kind.code, v.title) for v in campaign.offered_versions])


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

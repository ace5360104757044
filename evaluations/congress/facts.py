"""Organisation facts: what the work plan's targets count, kept per year
(models.OrganisationFacts) by the engine's unit facts
(workflows.unitfacts): who may edit them, the audited service, the pages
and the Excel sheet they are imported from and exported to, declared here."""

from django.utils.translation import gettext_lazy as _

from workflows.organisations.hats import district_admin_hat, first_hat
from workflows.unitfacts.facts import UnitFacts

from .models import OrganisationFacts
from .roles import CHAIR, SUBMITTER

# The sheet's Chinese headings, in the sheet's order: the district's
# spreadsheets are in Chinese whatever language the page is shown in.
HEADINGS = {
    "unionised": "已建会",
    "above_size_threshold": "规模以上",
    "has_congress": "建立职代会",
    "collective_contract": "签订集体合同",
    "wage_bargaining": "工资集体协商",
    "mediation_body": "劳动争议调解组织",
    "women_special_contract": "女职工专项集体合同",
    "standardised": "工会规范化建设",
    "union_founded_year": "建会年份",
    "democratic_evaluation_on": "最近民主评议日期",
}


def facts_hat(user, organisation):
    """The hat `user` edits the union's facts in: the union's own submitter
    or chair, else the administrator of the union's district (of that
    district only); None when they may not."""
    return first_hat(user, (SUBMITTER, organisation), (CHAIR, organisation)) or district_admin_hat(user, organisation)


FACTS = UnitFacts(
    model=OrganisationFacts, headings=HEADINGS, hat=facts_hat, action="congress.facts.updated",
    refused=_("Only the union itself or the district edits these facts."),
    columns=((_("Workers' congress"), "has_congress"), (_("Collective contract"), "collective_contract"),
             (_("Mediation body"), "mediation_body"), (_("Standardised"), "standardised")),
    urls="congress", sheet=("组织情况", "基层工会组织情况"), filename="organisation-facts-{year}.xlsx")

# The services by the names the demo and the tests call them.
do_update_facts, do_import_facts = FACTS.update, FACTS.import_sheet

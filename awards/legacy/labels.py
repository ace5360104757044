"""The words of every audit code the May Day award ever wrote. The audit
log keeps its entries for ever (append-only, hash-chained), so these codes
keep their labels after the award's own code is gone: a carried case's
history, the district's audit export and the integrity check read them.

Registered from AwardsConfig.ready (registered labels win over those a
declaration implies, workflows.audit). The decisions' words are the
buttons' as they were (msgctxt "decision"), so the history reads as it
always has."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflows.audit import register_action_labels

ID_NUMBER_VIEWED = "awards.nomination.id_number_viewed"

LABELS = {
    "awards.campaign.opened": _("Campaign opened"),
    "awards.campaign.edited": _("Campaign settings changed"),
    "awards.mix_rule.added": _("Mix rule added"),
    "awards.mix_rule.removed": _("Mix rule removed"),
    "awards.quota.set": _("Quota set"),
    "awards.quota.shared": _("Quota handed down"),
    "awards.department.created": _("Sign-off department added"),
    "awards.department.changed": _("Sign-off department changed"),
    "awards.nomination.created": _("Draft created"),
    "awards.nomination.edited": _("Edited"),
    "awards.nomination.submitted": pgettext_lazy("decision", "Submit"),
    "awards.nomination.confirmed": pgettext_lazy("decision", "Confirm and send up"),
    "awards.nomination.approved": pgettext_lazy("decision", "Approve and recommend"),
    "awards.nomination.returned": pgettext_lazy("decision", "Return for revision"),
    "awards.nomination.rejected": pgettext_lazy("decision", "Do not recommend"),
    "awards.nomination.resubmitted": pgettext_lazy("decision", "Resubmit"),
    "awards.nomination.withdrawn": pgettext_lazy("decision", "Withdraw"),
    "awards.nomination.published": _("Put on public notice"),
    "awards.nomination.notice_passed": _("Public notice ended without objection"),
    # A department's answer says it is a department's (the buttons said only 同意 / 不同意).
    "awards.nomination.signoff_agreed": _("Department agreed"),
    "awards.nomination.signoff_refused": _("Department refused"),
    "awards.nomination.awarded": pgettext_lazy("decision", "Award"),
    "awards.nomination.not_awarded": pgettext_lazy("decision", "Do not award"),
    ID_NUMBER_VIEWED: _("Full ID number viewed"),
    "awards.certificate.issued": _("Certificate issued"),
    "awards.certificate.reissued": _("Certificate reissued"),
}


def register():
    register_action_labels(LABELS)

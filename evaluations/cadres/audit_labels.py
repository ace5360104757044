"""What this app's audit codes mean to a reader (workflows.audit)."""

from django.utils.translation import gettext_lazy as _

from workflows.audit import register_action_labels

register_action_labels({
    "cadres.evaluation.created": _("Evaluation created"),
    "cadres.evaluation.updated": _("Evaluation set-up changed"),
    "cadres.evaluation.voters_imported": _("Voter list imported"),
    "cadres.evaluation.codes_generated": _("Voting codes generated"),
    "cadres.evaluation.slips_printed": _("Voting slips printed"),
    "cadres.evaluation.slip_replaced": _("Lost voting slip voided and replaced"),
    "cadres.evaluation.slip_replacement_refused": _("Replacement of a used voting slip refused"),
    "cadres.evaluation.plan_submitted": _("Plan submitted to the superior union"),
    "cadres.evaluation.approve": _("Plan approved"),
    "cadres.evaluation.return": _("Plan returned with comments"),
    "cadres.evaluation.resubmit": _("Plan resubmitted"),
    "cadres.evaluation.voting_opened": _("Voting opened"),
    "cadres.evaluation.voting_closed": _("Voting closed"),
    "cadres.evaluation.ballots_counted": _("Ballots counted at the close"),
    "cadres.evaluation.batch_entered": _("Paper batch entered"),
    "cadres.evaluation.batch_confirmed": _("Paper batch confirmed"),
    "cadres.evaluation.batch_refused": _("Paper batch refused"),
    "cadres.evaluation.tallied": _("Ballots tallied"),
    "cadres.evaluation.results_approved": _("Results approved"),
    "cadres.evaluation.results_returned": _("Results returned for a recount"),
    "cadres.evaluation.count_reopened": _("Count reopened by the district for a recount"),
    "cadres.evaluation.published": _("Results published"),
    "cadres.evaluation.archived": _("Evaluation archived"),
})

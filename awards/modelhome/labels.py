"""What the model-home audit codes mean to a reader (workflows.audit),
where a decision's button does not name it so already."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Entries written before the standards became the engine's (workflows.standard.*).
    "modelhome.standard.created": _("Scoring standard created"),
    "modelhome.standard.revised": _("Scoring standard revised"),
    "modelhome.standard.imported": _("Scoring standard imported from Excel"),
    "modelhome.application.saved": _("Application saved as draft"),
    "modelhome.application.inspectors_assigned": _("Inspectors assigned"),
    "modelhome.application.inspection_submitted": _("Inspector's scores submitted"),
    "modelhome.application.scored": _("Every inspector has scored"),
    "modelhome.application.published": _("Put on public notice"),
    "modelhome.application.notice_passed": _("Public notice passed"),
    "modelhome.application.granted": _("Title granted"),
    "modelhome.application.withdrawn": _("Application withdrawn"),
    "modelhome.application.reinspection_opened": _("Re-inspection opened"),
    "modelhome.application.rescore_requested": _("Inspector asked to re-score"),
    "modelhome.application.inspector_added": _("Third inspector assigned"),
    "modelhome.application.held_from_notice": _("Held out of the public notice"),
    "modelhome.application.released_to_notice": _("Released for the next public notice"),
    "modelhome.inspection.handed_over": _("Inspection taken over by the reassigned inspector"),
    "modelhome.title.granted": _("Title granted"),
    "modelhome.title.kept": _("Title kept after re-inspection"),
    "modelhome.title.downgraded": _("Title downgraded after re-inspection"),
    "modelhome.title.revoked": _("Title revoked (摘牌)"),
    "modelhome.title.expired": _("Title expired"),
    "modelhome.title.reinspection_opened": _("Re-inspection opened"),
    "modelhome.certificate.issued": _("Plaque certificate issued"),
    "modelhome.campaign.opened": _("Campaign opened"),
}

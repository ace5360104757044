from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KindsConfig(AppConfig):
    name = "awards.kinds"
    label = "kinds"
    verbose_name = _("Kinds of campaign")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from workflows.audit import register_action_labels
        from workflows.navigation import register_nav_link

        # The cases' flow (built from the declaration), their list and
        # their part of the JSON API, registered when the app loads.
        from . import api, certificate_layouts, flows, lists, notices  # noqa: F401
        from . import quotas
        from .cases import CASE_SAVED, IDENTITY_VIEWED
        from .models import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        register_action_labels({
            CASE_SAVED: _("Case saved"),
            IDENTITY_VIEWED: _("ID and mobile numbers viewed in full"),
            # Said with who acted: the buttons' bare 确认 / 同意 / 不同意 would
            # read the same for a chair, the district and a department.
            "kinds.case.confirmed": _("Confirmed by the unit's chair"),
            "kinds.case.approved": _("Approved by the district"),
            "kinds.case.signoff_agreed": _("Signed off by a department"),
            "kinds.case.signoff_refused": _("Sign-off refused by a department"),
            "kinds.case.submitted": _("Case handed in"),
            "kinds.case.withdrawn": _("Withdrawn by the union"),
            "kinds.case.published": _("Put on public notice"),
            "kinds.case.notice_passed": _("Public notice passed"),
            "kinds.case.objection_upheld": _("Objection upheld"),
            "kinds.case.scores_submitted": _("Scores submitted by an inspector"),
            "kinds.case.granted": _("Granted by the final decision"),
            "kinds.case.not_granted": _("Not granted by the final decision"),
        })
        quotas.register()
        from . import mixrules, revisions

        mixrules.register()
        revisions.register()
        register_action_labels(mixrules.ACTION_LABELS)
        from .coverage import register as register_coverage

        register_coverage()
        from .endings import CERTIFICATE_ISSUED, CERTIFICATE_REISSUED

        register_action_labels({CERTIFICATE_ISSUED: _("Certificate issued"),
                                CERTIFICATE_REISSUED: _("Certificate reissued")})
        register_nav_link("campaign_kinds", _("Kinds of campaign"), "kinds:list", order=260,
                          district_admin_only=True)
        register_nav_link("kind_cases", _("Honours and aid"), "kinds:case_list", order=60)

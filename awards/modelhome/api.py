"""The model workers' home's part of the JSON API (workflows.api): an
application's fields as its page shows them (totals only: an inspector's
own scores stay on the pages, which keep inspectors independent). Its
list, filters, attachments and the steps decided through the API (not
those of a form of its own: inspectors, scores, a revision) are the
engine's. Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from workflows.steps.registry import CaseApi, register_case_api

from .declaration import MODEL_HOME


def _fields(application):
    return [
        (_("campaign"), application.campaign.title),
        (_("applicant"), application.organisation.name),
        (_("level"), application.get_level_display()),
        (_("kind"), application.get_kind_display()),
        (_("union chair"), application.chair_name),
        (_("staff"), application.staff_count),
        (_("union members"), application.member_count),
        (_("self-assessment total"), application.self_total),
        (_("inspectors' mean"), application.inspected_total),
        (_("grade granted"), application.get_granted_grade_display()),
        (_("short account of the work"), application.deeds),
    ]


register_case_api(MODEL_HOME.key, CaseApi(fields=_fields))

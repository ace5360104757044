"""The democratic evaluation of cadres in the JSON API (workflows.api): an
evaluation's particulars as its page shows them (its list, filters and
steps are the engine's: every step is decided with a comment alone), and
the webhook event of published results. No ballot, voter or code ever
leaves through the API: the counts only, and the outcome once tallied (as
the page shows it). Registered from AppConfig.ready."""

from django.utils.translation import gettext_lazy as _

from workflows.api.webhooks import register_webhook_event
from workflows.steps.registry import CaseApi, register_case_api

from .declaration import EVALUATION
from .models import RESULT_STATES


def _moment(value):
    return value.isoformat() if value else ""


def _fields(evaluation):
    fields = [
        (_("title"), evaluation.title), (_("code"), evaluation.code), (_("year"), evaluation.year),
        (_("organisation"), evaluation.organisation.name), (_("method"), evaluation.method),
        (_("meeting date"), _moment(evaluation.meeting_date)),
        (_("voting opens"), _moment(evaluation.voting_opens_at)),
        (_("voting closes"), _moment(evaluation.voting_closes_at)),
        (_("entitled to vote (应到)"), evaluation.entitled_count),
        (_("cadres"), "、".join(f"{c.name}（{c.post}）" for c in evaluation.cadres.all())),
    ]
    if evaluation.state in RESULT_STATES and evaluation.outcome:
        fields += [(_("outcome"), evaluation.get_outcome_display()), (_("ballots cast"), evaluation.ballots_counted)]
    return fields


register_case_api(EVALUATION.key, CaseApi(fields=_fields))
register_webhook_event("evaluation.published", _("Evaluation results published"),
                       actions=("cadres.evaluation.published",))

"""Two requests ask for a re-score of the same disagreeing application at
the same moment (a double click, two tabs): one wins, the other is told it
was already handled, one audit entry, one task. PostgreSQL only."""

from decimal import Decimal

from awards.modelhome import decisions
from awards.modelhome.models import Application, AppState
from tests.concurrency import RACE_MARKS, run_together
from workflows.audit import history_of

from .conftest import fill, score, to_inspection

pytestmark = RACE_MARKS


def _disagreeing(mh, org, submitter):
    application = to_inspection(mh, fill(mh, org=org, submitter=submitter))
    score(mh, application, mh.inspector_1, scale=Decimal("0.95"))
    score(mh, application, mh.inspector_2, scale=Decimal("0.7"))
    return application


def _together(mh, application):
    inspection = application.inspections.get(inspector=mh.inspector_2)
    return run_together(
        [mh.admin_d, mh.admin_d], lambda: Application.objects.get(pk=application.pk),
        lambda actor, seen: decisions.rescore_request(application=seen, inspection=inspection, actor=actor,
                                                      reason="差距大，请复核"),
    )


def _requests(application):
    return history_of(application).filter(action="modelhome.application.rescore_requested").count()


def test_concurrent_rescore_requests_have_one_winner(mh):
    for org, submitter in ((mh.union_a1, mh.submitter), (mh.sub_a1, mh.sub_submitter)):
        application = _disagreeing(mh, org, submitter)
        assert _together(mh, application) == ["already handled", "won"]
        application.refresh_from_db()
        assert application.state == AppState.INSPECTING and _requests(application) == 1

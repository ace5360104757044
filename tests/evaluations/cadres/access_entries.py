"""The democratic evaluation of cadres in the access matrix and the form
fuzzing (the registry: tests/access_registry.py)."""

from tests.access_registry import FormEntry, r
from workflows.steps.decisions import decide

# A URL of the evaluations taking a code is an evaluation's.
PAGES = {"cadres": {(): None, ("code",): "evaluation"}}

CASES = {"cadres": "evaluation"}

# Voting and the published results are public (they show no private field).
PUBLIC = {"cadres:vote", "cadres:public_results", "cadres:public_result_sheet"}

xlsx = lambda e: {"code": e.code, "fmt": "xlsx"}  # noqa: E731

OBJECT_URLS = {
    "cadres:paper_batch_confirm": ("evaluation", lambda e: {"code": e.code, "number": 1}),
    "cadres:result_sheet": ("evaluation", xlsx),
    "cadres:public_result_sheet": ("evaluation", xlsx),
}

JIXIE_EVALUATION = lambda w: "pingyi-2024-jixie"  # noqa: E731 (voting open in the demo)


def APPROVED_EVALUATION(w):
    """An evaluation of jixie whose plan is approved and whose vote is not
    open: codes are generated and slips printed only then (the demo has
    none; made once, through the services)."""
    from evaluations.cadres import services
    from evaluations.cadres.models import Evaluation

    code = "matrix-jixie-approved"
    if not Evaluation.objects.filter(code=code).exists():
        evaluation = _evaluation(w.org["jixie"], w.users["jixie_submit"], code)
        services.do_submit_plan(evaluation=evaluation, actor=w.users["jixie_submit"])
        decide(case=evaluation, actor=w.users["cg_review"], decision="approve")
        services.do_generate_codes(evaluation=evaluation, count=3, actor=w.users["jixie_submit"])
    return code


FORMS = {
    "cadres:evaluation_create": FormEntry("jixie_submit", r("cadres:evaluation_create")),
    "cadres:evaluation_edit": FormEntry("yiyuan_submit", r("cadres:evaluation_edit", "matrix-yiyuan")),
    "cadres:evaluation_submit": FormEntry("yiyuan_submit", r("cadres:evaluation_submit", "matrix-yiyuan"),
                                          r("cadres:evaluation_detail", "matrix-yiyuan"), button=True),
    "cadres:evaluation_decide": FormEntry("jixie_chair", r("cadres:evaluation_decide", JIXIE_EVALUATION),
                                          r("cadres:evaluation_detail", JIXIE_EVALUATION)),
    "cadres:voters_import": FormEntry("jixie_submit", r("cadres:voters_import", JIXIE_EVALUATION)),
    "cadres:voters_sign_in": FormEntry("jixie_submit", r("cadres:voters_sign_in", JIXIE_EVALUATION)),
    "cadres:codes_generate": FormEntry("jixie_submit", r("cadres:codes_generate", APPROVED_EVALUATION),
                                       r("cadres:evaluation_detail", APPROVED_EVALUATION)),
    "cadres:slips_print": FormEntry("jixie_submit", r("cadres:slips_print", APPROVED_EVALUATION),
                                    r("cadres:evaluation_detail", APPROVED_EVALUATION), button=True),
    "cadres:slip_replace": FormEntry("jixie_submit", r("cadres:slip_replace", JIXIE_EVALUATION)),
    "cadres:paper_batches": FormEntry("jixie_submit", r("cadres:paper_batches", JIXIE_EVALUATION)),
    "cadres:paper_batch_confirm": FormEntry("jixie_chair", r("cadres:paper_batch_confirm", JIXIE_EVALUATION, 1),
                                            r("cadres:paper_batches", JIXIE_EVALUATION), button=True),
    "cadres:vote": FormEntry("anonymous", r("cadres:vote", JIXIE_EVALUATION)),
}


def world_objects(world):
    """The union's first evaluation of the demo (or a draft one made here),
    and a draft one of the other district's union."""
    from evaluations.cadres.models import Evaluation

    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        org = world.org[code]
        evaluation = Evaluation.objects.filter(organisation=org).order_by("pk").first()
        world.obj["evaluation", slot] = evaluation or _evaluation(org, world.users[f"{code}_submit"],
                                                                  f"matrix-{code}")
    world.obj["evaluation", "X"] = _evaluation(world.org["other-union"], world.users["other_submit"], "other-pingyi")


def _evaluation(org, submitter, code):
    """A draft evaluation of `org`, with the submitter and a teller as its tellers."""
    import datetime

    from django.utils import timezone

    from evaluations.cadres.models import Evaluation
    from evaluations.cadres.services import do_create_evaluation
    from tests.conftest import make_user

    now = timezone.now()
    evaluation = Evaluation(
        code=code, organisation=org, year=2024, title="民主评议", entitled_count=20,
        meeting_date=datetime.date(2024, 12, 20), voting_opens_at=now,
        voting_closes_at=now + datetime.timedelta(hours=2),
    )
    teller = make_user(f"teller_{org.code}", (org, "submitter"))
    do_create_evaluation(evaluation=evaluation, cadres=[("张伟", "总经理")], tellers=[submitter, teller],
                         actor=submitter)
    return evaluation

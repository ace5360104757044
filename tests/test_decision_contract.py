"""The decision contract (tests/decision_contract.py) walked for every
declared decision of every registered process, through the engine's
decision page; and each process's own decision URL serves that page.

A process added to the registry fails here until it says how to make its
cases (CASES below): it then gets the whole walk for free. May Day runs as
campaign kinds (`kind_case`, walked below); its own process is retired at
the switch and walked no more."""

import datetime
import itertools

import pytest
from django.urls import reverse

from tests.awards.modelhome.conftest import fill, mh, score, through_notice, to_inspection  # noqa: F401 (fixture)
from tests.conftest import make_org, make_user
from tests.decision_contract import Cases, drive, walk
from tests.evaluations.cadres.conftest import make_evaluation, tellers  # noqa: F401 (fixtures)
from tests.evaluations.congress.conftest import expense_data, kinds, open_period  # noqa: F401 (fixtures)
from workflows.models import OrgKind
from workflows.steps.decisions import decide
from workflows.steps.registry import process_named, processes


def _modelhome(mh):  # noqa: F811 (the fixture)
    from awards.modelhome import decisions
    from awards.modelhome import services
    from awards.modelhome.models import Title

    serial = itertools.count(1)

    def new():
        n = next(serial)
        org = make_org(f"契约{n}厂工会", f"contract-{n}", OrgKind.GRASSROOTS, mh.town_a)
        return fill(mh, org=org, submitter=make_user(f"contract_submitter_{n}", (org, "submitter")))

    def inspecting():
        return to_inspection(mh, new())

    def notice_passed():
        application = inspecting()
        for inspector in (mh.inspector_1, mh.inspector_2):
            score(mh, application, inspector)
        through_notice(mh, application)
        return application

    def reinspected():
        application = notice_passed()
        decide(case=application, actor=mh.admin_d, decision="model")
        [case] = decisions.reinspection_open(titles=[Title.objects.get(application=application)], actor=mh.admin_d)
        services.inspectors_assign(application=case, actor=mh.admin_d, inspectors=[mh.inspector_1, mh.inspector_2])
        for inspector in (mh.inspector_1, mh.inspector_2):
            score(mh, case, inspector)
        return case

    return Cases(new=new, special={"inspect": inspecting, "decide": notice_passed,
                                   "decide_reinspection": reinspected})


def _cadres(make_evaluation):  # noqa: F811 (the fixture)
    from evaluations.cadres.models import EvaluationState as S

    process = process_named("cadres")
    serial = itertools.count(1)

    def at(state):
        def make():
            return make_evaluation(to=state, code=f"contract-{next(serial)}")
        return make

    def beyond_voting(step):
        return lambda: drive(process, at(S.VOTING_OPEN)(), process.step(step).states[0])

    special = {"open_voting": at(S.PLAN_APPROVED), "close_voting": at(S.VOTING_OPEN)}
    for step in ("tally", "review_results", "publish", "archive"):
        special[step] = beyond_voting(step)
    return Cases(new=at(S.PLAN_SUBMITTED), special=special)


def _congress(tree, kinds, expense_data):  # noqa: F811 (the fixtures)
    from evaluations.congress import services
    from evaluations.congress.models import Report
    from evaluations.congress.periods import do_open_period
    from workflows.models import Sector

    periods = iter([(year, half) for year in (2024, 2023, 2022, 2021) for half in (1, 2)])

    def new():
        year, half = next(periods)
        period = do_open_period(kind=kinds["entertainment-expenses"], year=year, half=half,
                                sectors=[Sector.NON_PUBLIC], district=tree.district, actor=tree.admin_d)
        report = Report.objects.get(period=period, organisation=tree.union_a1)
        services.do_save_report_draft(report=report, data=expense_data(), actor=tree.submitter)
        services.do_submit_report(report=report, actor=tree.submitter)
        return report

    return Cases(new=new)


def _kind_case(tree, departments):
    """A version with every step the page decides (no notice) and six
    outcomes, so that every declared slot of the final decision is walked;
    another with the departments' sign-offs."""
    from awards.kinds import cases as kind_cases
    from awards.kinds.services import do_create_kind
    from tests.awards.kinds.conftest import answers_post, definition

    outcomes = [{"value": f"o{i}", "label": f"结果{i}", "positive": i % 2 == 1} for i in range(1, 7)]

    def campaign_of(code, standard_version=None, **options):
        version = do_create_kind(district=tree.district, code=code, actor=tree.admin_d,
                                 definition=definition(outcomes=outcomes, **options))
        return kind_cases.do_open_campaign(versions=[version], year=2026, title="契约", actor=tree.admin_d,
                                           deadline=datetime.date.today() + datetime.timedelta(days=30),
                                           standard_version=standard_version)

    campaign = campaign_of("contract", steps=("confirm", "intermediate_review"))
    signing = campaign_of("contract-signoffs", steps=("confirm", "intermediate_review", "signoffs"),
                          signoffs=["dept-tax", "dept-safety"])
    # A version with the inspectors' scoring, on a standard of the district.
    from awards.kinds.scoring import do_assign_inspectors
    from awards.roles import Role
    from workflows.scoring.standards import standard_create

    standard = standard_create(district=tree.district, code="contract-standard", name="契约标准", actor=tree.admin_d,
                               data={"sections": [{"title": "一", "items": [{"code": "1", "text": "要求",
                                                                            "points": 100}]}]})
    scored = campaign_of("contract-scoring", standard_version=standard,
                         steps=("confirm", "intermediate_review", "scoring"))
    inspectors = [make_user(f"contract_inspector_{n}", (tree.district, Role.INSPECTOR)) for n in (1, 2)]
    serial = itertools.count(1)

    def new(on=campaign):
        n = next(serial)
        data = {k.removeprefix("answers-"): v for k, v in answers_post(f"契约{n}", n).items()
                if k.startswith("answers-")}
        form = kind_cases.form_class(on.offered_versions[0])(data)
        assert form.is_valid(), form.errors
        return kind_cases.do_create_case(campaign=on, organisation=tree.union_a1, name=f"契约{n}", form=form,
                                         actor=tree.submitter, submit=True)

    def through(*steps, on=campaign):
        # The version's own route (the shortest chain of codes in the
        # declaration skips the intermediate union this version has).
        def make():
            case = new(on)
            for actor, code in steps:
                decide(case=case, actor=actor, decision=code)
            return case
        return make

    to_district = ((tree.chair, "confirm"), (tree.reviewer_a, "forward"))
    assigning = through(*to_district, (tree.reviewer_d, "approve"), on=scored)

    def scoring():
        case = assigning()
        return do_assign_inspectors(case=case, actor=tree.admin_d, inspectors=inspectors)

    return Cases(new=new, special={"district_review": through(*to_district),
                                   "assign_inspectors": assigning, "scoring": scoring,
                                   "signoffs": through(*to_district, (tree.reviewer_d, "approve"), on=signing),
                                   "decision": through(*to_district, (tree.reviewer_d, "approve"))})


@pytest.fixture
def cases(request, tree):
    """The case builders of every process (a process missing here fails the walk)."""
    fixtures = request.getfixturevalue
    return {
        "modelhome": lambda: _modelhome(fixtures("mh")),
        "cadres": lambda: _cadres(fixtures("make_evaluation")),
        "congress_report": lambda: _congress(tree, fixtures("kinds"), fixtures("expense_data")),
        "kind_case": lambda: _kind_case(tree, fixtures("departments")),
    }


@pytest.mark.parametrize("key", [p.key for p in processes()])
def test_every_decision_of_the_process_keeps_the_contract(key, cases, client):
    assert key in cases, f"the process {key!r} has no case builder for the decision contract"
    process = process_named(key)
    outcomes = walk(client, process, cases[key]())
    walked = {(o.step, o.decision) for o in outcomes}
    declared = {(s.name, d.code) for s in process.steps if not s.manual for d in s.decisions}
    assert walked == declared, declared - walked
    # Each decision the page offers was taken (no rule refused the plain case).
    assert [o for o in outcomes if o.result == "refused"] == []


def test_every_registered_process_is_walked(cases):
    assert {p.key for p in processes()} == set(cases)


def test_each_process_keeps_its_decision_url(tree, make_mayday_case, client):
    """The processes' own decision URLs serve the engine's page (a May Day
    case of the kinds: kinds:case_decide)."""
    case = make_mayday_case()
    client.force_login(tree.chair)
    page = client.get(reverse("case_decide", kwargs={"process_key": "kind_case", "pk": case.pk}))
    assert page.status_code == 200 and 'value="confirm"' in page.content.decode()
    own = reverse("kinds:case_decide", args=[case.pk])
    assert client.get(own).content.decode().count('value="confirm"') == page.content.decode().count('value="confirm"')
    posted = client.post(own, {"decision": "reject", "version": case.version, "comment": "不符合条件"})
    assert posted.status_code == 200 and 'name="confirmed" value="1"' in posted.content.decode()
    case.refresh_from_db()
    assert case.state == "confirming"
    client.force_login(tree.outsider)
    assert client.get(reverse("case_decide", kwargs={"process_key": "kind_case", "pk": case.pk})).status_code == 404
    assert client.get(own).status_code == 404
    assert client.get(reverse("case_decide", kwargs={"process_key": "nothing", "pk": case.pk})).status_code == 404
    draft = make_mayday_case(submit=False, name="草稿人")
    client.force_login(tree.submitter)  # their own draft: nothing to decide yet
    assert client.get(reverse("case_decide", kwargs={"process_key": "kind_case", "pk": draft.pk})).status_code == 404

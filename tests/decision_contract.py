"""The decision contract, walked for every declared decision of a process
through the engine's decision page (workflows/steps/decision_page.py).
Names no process: the project's suite (tests/test_decision_contract.py)
and the engine's (tests/engine/test_decision_contract.py) give it, per
registered process, a way to make a case in each step's state.

For each step a case is brought to (by the engine's own `decide`, along the
shortest chain of page-served decisions, or by a process's own builder for
states behind its own forms and notices), and for each decision offered
there, inside a savepoint rolled back afterwards:

- the page shows the decision as a button, with no confirmation carried;
- an unknown decision, and a missing comment where one is required, come
  back 400 with the page re-rendered, nothing confirmed, nothing changed;
- a final decision first answers with the confirmation page (nothing
  changed), which posts `confirmed=1`;
- taken, the case moves on (302); the same form again is a 409 naming the
  actor ("你已处理过"); another user's copy of the page is a 409 naming
  someone else ("已由他人处理"); or a process's rule refuses it (400, the
  page re-rendered with nothing confirmed, nothing changed);
- a step decided on the process's own form (`Step.form_url`) sends its
  actor there, and a user who sees the case but may not take the step gets
  a 403.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from tests.decision_forms import decision_form, post_forms
from workflows.organisations.recusal import eligible_actors
from workflows.steps.actors import may_act, open_tasks_of_step
from workflows.steps.decisions import decide

MINE = "你已处理过"
OTHERS = "已由他人处理"
COMMENT = "契约测试意见"


@dataclass
class Cases:
    """How to make a process's cases for the walk: `new()` a case in its
    first step's state; `special[step name]()` a case in a state the page's
    decisions cannot reach (behind inspectors, a notice, a sign-off)."""

    new: Callable
    special: dict = field(default_factory=dict)


@dataclass
class Outcome:
    step: str
    decision: str
    result: str  # "taken", "refused", "own form"
    detail: Optional[str] = None


def actors_of(case, step):
    users = []
    for task in open_tasks_of_step(case, step.name):
        for user in eligible_actors(task, case):
            if user not in users:
                users.append(user)
    return users


def _page_served(step):
    return step is not None and not step.manual and step.form_url is None


def path_to(process, source, target):
    """The shortest chain of decision codes from state `source` to `target`
    through steps the decision page serves."""
    seen, queue = {source: []}, deque([source])
    while queue:
        state = queue.popleft()
        if state == target:
            return seen[state]
        step = process.step_of_state(state)
        if not _page_served(step):
            continue
        for d in step.decisions:
            if d.target not in seen and d.target not in process.final_states:
                seen[d.target] = seen[state] + [d.code]
                queue.append(d.target)
    raise AssertionError(f"{process.key}: no chain of decisions from {source} to {target}")


def drive(process, case, target):
    """Take the case to state `target` by the engine's own service, each
    decision by whoever may take it (every task of a fan-out step)."""
    for code in path_to(process, case.state, target):
        step = process.step_of_state(case.state)
        before = case.state
        for actor in actors_of(case, step):
            case.refresh_from_db()
            if case.state != before:
                break
            decide(case=case, actor=actor, decision=code, comment=COMMENT)
            if not step.fan_out:
                break
        case.refresh_from_db()
    assert case.state == target, f"{process.key}: reached {case.state}, not {target}"
    return case


def _reach(process, cases, step):
    if step.name in cases.special:
        case = cases.special[step.name]()
    else:
        case = drive(process, cases.new(), step.states[0])
    case.refresh_from_db()
    assert process.step_of_state(case.state) == step, f"{process.key}.{step.name}: case in {case.state}"
    return case


def _no_confirmation_carried(html):
    for form in post_forms(html):
        assert not form["hidden"].get("confirmed"), "a confirmation was carried over"
        assert "confirm" not in form["hidden"]


def _state(case):
    return type(case).objects.values_list("state", "version").get(pk=case.pk)


def _bystander(process, case, *excluded):
    """A user who sees the case (the process's selector) and is none of `excluded`."""
    for user in get_user_model().objects.filter(is_active=True).exclude(pk__in=[u.pk for u in excluded]).order_by("pk"):
        if process.selector(user).filter(pk=case.pk).exists():
            return user
    return None


def check_decision(client, process, case, step, decision, actor):
    url = reverse("case_decide", kwargs={"process_key": process.key, "pk": case.pk})
    label = f"{process.key}.{step.name}.{decision.code}"
    client.force_login(actor)
    before = _state(case)

    page = client.get(url)
    assert page.status_code == 200, (label, page.status_code)
    form = decision_form(page.content.decode())
    assert form is not None and ("decision", decision.code) in form["buttons"], label
    _no_confirmation_carried(page.content.decode())
    data = {**form["hidden"], "decision": decision.code}

    wrong = client.post(url, {**data, "decision": "no-such-decision", "comment": COMMENT})
    assert wrong.status_code == 400 and _state(case) == before, label
    _no_confirmation_carried(wrong.content.decode())
    if decision.comment_required:
        bare = client.post(url, {**data, "comment": ""})
        assert bare.status_code == 400 and _state(case) == before, label
        _no_confirmation_carried(bare.content.decode())

    data["comment"] = COMMENT
    if decision.final:
        asked = client.post(url, data)
        html = asked.content.decode()
        assert asked.status_code == 200 and 'name="confirmed" value="1"' in html, label
        assert _state(case) == before, f"{label}: a final decision was taken without confirmation"
        confirm = next(f for f in post_forms(html) if f["hidden"].get("confirmed") == "1")
        cancel = re.search(r'<a class="button" href="([^"]+)">', html.split('name="confirmed"', 1)[1]).group(1)
        assert client.get(cancel).status_code == 200, f"{label}: Cancel leads to {cancel}"
        data = {**confirm["hidden"]}
        if 'name="acknowledged"' in html:
            # A warning to acknowledge (a vote closed below its quorum): not
            # taken without the box ticked, then ticked as a person would.
            unticked = client.post(url, data)
            assert unticked.status_code == 400 and _state(case) == before, label
            data["acknowledged"] = "1"
    else:
        data["confirmed"] = ""

    taken = client.post(url, data)
    if taken.status_code == 400:
        # A process's rule refused it: the page again, nothing confirmed, nothing changed.
        assert _state(case) == before, label
        _no_confirmation_carried(taken.content.decode())
        return Outcome(step.name, decision.code, "refused")
    assert taken.status_code == 302, (label, taken.status_code, taken.content.decode()[:2000])
    after = _state(case)
    waiting = after == before  # a fan-out step waiting for its other tasks
    assert not waiting or (step.fan_out and decision.wait_for_all), label

    replay = client.post(url, data)
    assert replay.status_code == 409 and MINE in replay.content.decode(), (label, replay.status_code)
    assert _state(case) == after, label
    if not waiting:
        other = _bystander(process, case, actor)
        assert other is not None, f"{label}: nobody else sees the case"
        client.force_login(other)
        late = client.post(url, data)
        assert late.status_code == 409 and OTHERS in late.content.decode(), (label, late.status_code)
        assert _state(case) == after, label
    return Outcome(step.name, decision.code, "taken")


def walk(client, process, cases):
    """Every declared decision of every step of `process` through the
    contract; returns the outcomes (one per decision)."""
    outcomes = []
    for step in process.steps:
        if step.manual or not step.decisions:
            continue
        case = _reach(process, cases, step)
        actors = actors_of(case, step)
        assert actors, f"{process.key}.{step.name}: nobody may take the step"
        actor = actors[0]
        url = reverse("case_decide", kwargs={"process_key": process.key, "pk": case.pk})
        outsider = _bystander(process, case, *actors)
        if outsider is not None and not any(may_act(outsider, t) for t in open_tasks_of_step(case, step.name)):
            client.force_login(outsider)
            assert client.get(url).status_code == 403, f"{process.key}.{step.name}: a bystander may decide"
        if step.form_url is not None:
            client.force_login(actor)
            sent = client.get(url)
            assert sent.status_code == 302 and sent["Location"] == step.form_url(case), step.name
            outcomes.extend(Outcome(step.name, d.code, "own form") for d in step.decisions)
            continue
        for decision in step.decisions_for(case):
            savepoint = transaction.savepoint()
            try:
                outcomes.append(check_decision(client, process, case, step, decision, actor))
            finally:
                transaction.savepoint_rollback(savepoint)
            case.refresh_from_db()
    return outcomes

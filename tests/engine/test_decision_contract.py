"""The decision contract (tests/decision_contract.py) walked for every
declared decision of every process registered under the engine's own
settings: here, the toy process."""

from tests.decision_contract import Cases, walk
from workflows.steps.registry import processes


def test_every_decision_of_every_registered_process_keeps_the_contract(people, journey, client, departments):
    cases = {"toy": Cases(new=journey.submitted, special={
        "decide": journey.notice_passed, "signoff": lambda: journey.at_signoff(departments[:1])})}
    registered = {process.key: process for process in processes()}
    assert set(registered) == set(cases), "a registered process has no case builder for the contract"
    for key, process in registered.items():
        outcomes = walk(client, process, cases[key])
        walked = {(o.step, o.decision) for o in outcomes}
        declared = {(s.name, d.code) for s in process.steps if not s.manual for d in s.decisions}
        assert walked == declared, declared - walked
        assert all(o.result == "taken" for o in outcomes), [o for o in outcomes if o.result != "taken"]


def test_a_refused_decision_comes_back_without_its_confirmation(people, journey, client, monkeypatch):
    """A process's rule refusing a final decision: the page again (400),
    with the reason and nothing confirmed; the next final choice asks again."""
    from django.urls import reverse

    from tests.decision_forms import decision_form, post_forms
    from tests.engine.toy.declaration import TOY
    from tests.engine.toy.models import ToyState as S
    from workflows.exceptions import RuleViolation

    def refuse_accept(case, decision, actor):
        if decision.code == "accept":
            raise RuleViolation("不符合条件，不能接受。")

    monkeypatch.setattr(TOY, "before_decision", refuse_accept)
    case = journey.notice_passed()
    url = reverse("case_decide", kwargs={"process_key": "toy", "pk": case.pk})
    client.force_login(people.admin)
    refused = client.post(url, {"decision": "accept", "version": case.version, "confirmed": "1"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "不符合条件，不能接受。" in html
    assert all(not f["hidden"].get("confirmed") for f in post_forms(html))
    form = decision_form(html)
    again = client.post(url, {**form["hidden"], "decision": "decline", "comment": "不予接受"})
    case.refresh_from_db()
    assert again.status_code == 200 and 'name="confirmed" value="1"' in again.content.decode()
    assert case.state == S.NOTICE_PASSED

"""Holding a case out of a public notice (workflows.notices.holds.hold_out)
through the toy's service (tests/engine/toy/notices.py): the held case
stays awaiting, is audited, is left off the notice the others go on (and
the notice's page), and once released goes on the next one."""

import pytest

from tests.engine.conftest import assert_tasks_match_state
from tests.engine.toy.models import ToyState as S
from tests.engine.toy.notices import toy_notice_hold, toy_notice_open
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.notices.services import entry_of


def _hold(people, case, reason="评分争议待核实"):
    return toy_notice_hold(case=case, actor=people.admin, reason=reason)


def test_a_held_case_stays_off_the_notice_the_others_go_on(people, journey, client):
    held = journey.awaiting_notice(title="甲一厂（争议）")
    other = journey.awaiting_notice(title="甲一厂（无争议）")
    version = held.version

    _hold(people, held)

    assert held.notice_hold == "评分争议待核实"  # the caller's instance is updated
    held.refresh_from_db()
    assert (held.notice_hold, held.state, held.version) == ("评分争议待核实", S.AWAITING_NOTICE, version)
    entry = history_of(held).get(action="toy.case.held_from_notice")
    assert (entry.actor, entry.organisation, entry.role, entry.comment, entry.from_state, entry.to_state) == (
        people.admin, people.district, "district_admin", "评分争议待核实", S.AWAITING_NOTICE, S.AWAITING_NOTICE)

    notice = toy_notice_open(district=people.district, actor=people.admin)
    held.refresh_from_db()
    other.refresh_from_db()
    assert (held.state, other.state) == (S.AWAITING_NOTICE, S.IN_NOTICE)
    assert entry_of(held) is None and entry_of(other).notice == notice
    assert [e.object_id for e in notice.entries.all()] == [other.pk]
    assert_tasks_match_state(held)  # its notice task still open

    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "甲一厂（无争议）" in page and "甲一厂（争议）" not in page


def test_a_held_case_picked_for_a_notice_is_refused(people, journey):
    held = journey.awaiting_notice()
    _hold(people, held)
    with pytest.raises(RuleViolation, match="held out of the notice"):
        toy_notice_open(cases=[held], district=people.district, actor=people.admin)
    held.refresh_from_db()
    assert held.state == S.AWAITING_NOTICE and entry_of(held) is None


def test_released_it_goes_on_the_next_notice(people, journey):
    held = journey.awaiting_notice(title="甲一厂（争议）")
    _hold(people, held)
    first = toy_notice_open(cases=[journey.awaiting_notice(title="乙")], district=people.district,
                            actor=people.admin)

    toy_notice_hold(case=held, actor=people.admin, reason="")

    assert held.notice_hold == ""  # the caller's instance is updated
    released = history_of(held).get(action="toy.case.released_to_notice")
    assert (released.actor, released.comment) == (people.admin, "")
    second = toy_notice_open(district=people.district, actor=people.admin)
    held.refresh_from_db()
    assert held.state == S.IN_NOTICE and entry_of(held).notice == second != first


def test_holding_twice_or_releasing_what_is_not_held_is_handled(people, journey):
    case = journey.awaiting_notice()
    with pytest.raises(AlreadyHandled, match="Not held out of the notice."):
        toy_notice_hold(case=case, actor=people.admin, reason="")
    _hold(people, case)
    with pytest.raises(AlreadyHandled, match="Already held out of the notice."):
        _hold(people, case, reason="又一个理由")
    case.refresh_from_db()
    assert case.notice_hold == "评分争议待核实"
    assert history_of(case).filter(action="toy.case.held_from_notice").count() == 1


def test_only_a_case_awaiting_a_notice_is_held_and_the_reason_is_cut_to_the_field(people, journey):
    case, _notice = journey.in_notice()
    with pytest.raises(AlreadyHandled, match="not awaiting a public notice"):
        _hold(people, case)
    case.refresh_from_db()
    assert case.notice_hold == ""

    waiting = journey.awaiting_notice()
    _hold(people, waiting, reason="长" * 300)
    waiting.refresh_from_db()
    assert waiting.notice_hold == "长" * 200
    assert history_of(waiting).get(action="toy.case.held_from_notice").comment == "长" * 200


def test_only_the_district_administrator_holds_a_case_out(people, journey):
    case = journey.awaiting_notice()
    with pytest.raises(NotAllowed):
        toy_notice_hold(case=case, actor=people.reviewer_d, reason="争议")
    case.refresh_from_db()
    assert case.notice_hold == "" and not history_of(case).filter(action="toy.case.held_from_notice").exists()

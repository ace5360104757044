"""A public notice through the toy's handler: an objection holds the case;
upheld, the case is rejected; dismissed, it passes once the window has
closed; without objection it passes at the close."""

import pytest

from tests.engine.conftest import assert_tasks_match_state
from tests.engine.toy.models import ToyState as S
from workflows.audit import history_of
from tests.engine.toy.notices import toy_notice_open
from workflows.exceptions import AlreadyHandled, NotAllowed
from workflows.models import NoticeOutcome, Organisation, OrgKind, ObjectionStatus, ObjectorKind
from workflows.notices.rounds import batch_title, published_values
from workflows.notices.services import entry_of, is_held, lodge_objection, record_finding
from workflows.steps.tasks import open_step_names


def _object(case, notice):
    return lodge_objection(
        entry=entry_of(case), objector_kind=ObjectorKind.PERSON, text="材料不实", contact="13800000000",
        person_name="李四", today=notice.opened_on,
    )


def test_publishing_keeps_the_notice_task_open(people, journey):
    case, notice = journey.in_notice()
    assert open_step_names(case) == ["notice"]
    entry = entry_of(case)
    assert entry.notice == notice and entry.published == {"title": case.title}
    assert history_of(case).get(decision="publish").actor == people.admin


def test_no_objection_passes_at_the_close(people, journey):
    case, notice = journey.in_notice()

    journey.close(notice)

    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    assert open_step_names(case) == ["decide"]
    passed = history_of(case).get(to_state=S.NOTICE_PASSED)
    assert (passed.decision, passed.comment, passed.role) == (NoticeOutcome.NO_OBJECTION, "公示无异议", "district_admin")


def test_an_objection_holds_the_case_and_upheld_rejects_it(people, journey):
    case, notice = journey.in_notice()
    objection = _object(case, notice)
    assert is_held(case)

    journey.close(notice)

    case.refresh_from_db()
    assert case.state == S.IN_NOTICE
    assert open_step_names(case) == ["notice"]
    assert history_of(case).filter(action="workflows.notice.held").count() == 1

    with pytest.raises(NotAllowed):
        record_finding(objection=objection, actor=people.reviewer, upheld=True, finding="属实")
    record_finding(objection=objection, actor=people.admin, upheld=True, finding="经核查属实")

    case.refresh_from_db()
    assert case.state == S.REJECTED
    assert_tasks_match_state(case)
    rejected = history_of(case).get(to_state=S.REJECTED)
    assert (rejected.action, rejected.decision, rejected.comment, rejected.actor) == (
        "toy.case.uphold_objection", NoticeOutcome.UPHELD, "经核查属实", people.admin,
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD


def test_a_dismissed_objection_passes_at_the_close(people, journey):
    case, notice = journey.in_notice()
    objection = _object(case, notice)

    record_finding(objection=objection, actor=people.admin, upheld=False, finding="经核查不属实")
    case.refresh_from_db()
    assert case.state == S.IN_NOTICE  # the window is still open

    journey.close(notice)

    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    assert open_step_names(case) == ["decide"]
    assert history_of(case).get(to_state=S.NOTICE_PASSED).decision == NoticeOutcome.DISMISSED


def test_a_held_case_passes_when_its_objection_is_dismissed_after_the_close(people, journey):
    case, notice = journey.in_notice()
    objection = _object(case, notice)
    journey.close(notice)

    record_finding(objection=objection, actor=people.admin, upheld=False, finding="不属实")

    case.refresh_from_db()
    assert case.state == S.NOTICE_PASSED
    assert_tasks_match_state(case)


# A round's batches (workflows.notices.rounds) ----------------------------------

def test_a_second_batch_says_so_in_its_title(people, journey):
    _case, notice = journey.in_notice()
    assert batch_title(people.district, "关于评选的公示") == "关于评选的公示（第二批）"
    assert notice.title == "Toy notice"


def test_a_picked_case_no_longer_awaiting_is_handled_already(people, journey):
    case, _notice = journey.in_notice()
    with pytest.raises(AlreadyHandled):
        toy_notice_open(cases=[case], district=people.district, actor=people.admin)


def test_a_picked_case_of_another_round_is_refused(people, journey):
    case = journey.awaiting_notice()
    other = Organisation.objects.create(name="乙镇工会", code="town-b", kind=OrgKind.INTERMEDIATE,
                                        parent=people.district)
    with pytest.raises(NotAllowed):
        toy_notice_open(cases=[case], district=other, actor=people.admin)
    case.refresh_from_db()
    assert case.state == S.AWAITING_NOTICE


def test_the_picked_instances_see_their_new_state(people, journey):
    case = journey.awaiting_notice()
    toy_notice_open(cases=[case], district=people.district, actor=people.admin)
    assert case.state == S.IN_NOTICE


def test_a_row_publishes_the_fields_and_the_union_by_its_name(people, journey):
    case = journey.new(title="甲一厂申请")
    assert published_values(case, ["organisation", "title"]) == {"organisation": "甲一厂工会", "title": "甲一厂申请"}

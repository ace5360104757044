"""One active case per person in a campaign (route.unique_person, May
Day's one_active_nomination_per_person): the same ID number, or for a kind
without one the same name under the same version; a withdrawn case frees
the person. Two hand-ins of the same person at once: the campaign's row
lock lets one win (PostgreSQL), and its control shows the race without it."""

import copy
import time

import pytest

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.models import KindCase, KindCaseState as S
from tests.awards.kinds.conftest import FIELDS, definition
from tests.concurrency import RACE_MARKS, run_together
from tests.conftest import valid_id_number
from workflows.exceptions import RuleViolation

pytestmark = pytest.mark.django_db


def _kind(tree, *, unique=True, fields=FIELDS, code="unique"):
    spec = definition(fields=fields)
    if unique:
        spec["route"]["unique_person"] = True
    return services.do_create_kind(district=tree.district, code=code, definition=spec, actor=tree.admin_d)


def _hand_in(campaign, tree, *, organisation=None, submitter=None, name="张三", number=None,
             submit=True):
    version = campaign.offered_versions[0]
    number = number or valid_id_number("11010119850301011")
    data = {"name": name, "id_number": number, "deeds": "长期从事工会工作，成绩突出。"}
    form = case_services.form_class(version)({k: v for k, v in data.items()
                                              if any(f["key"] == k for f in version.definition["fields"])})
    assert form.is_valid(), form.errors
    return case_services.do_create_case(campaign=campaign, organisation=organisation or tree.union_a1, name=name,
                                        form=form, actor=submitter or tree.submitter, submit=submit)


def test_the_same_id_number_is_refused_while_active_and_free_once_withdrawn(tree, open_campaign):
    campaign = open_campaign(_kind(tree))
    first = _hand_in(campaign, tree)
    with pytest.raises(RuleViolation) as refused:
        _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b, name="张三丰")
    assert "已在本次评选活动中被推荐" in str(refused.value)
    # A draft holds no place: saving one of the same person is refused at
    # once too, and a draft made before is refused at handing in.
    with pytest.raises(RuleViolation):
        _hand_in(campaign, tree, submit=False)
    case_services.do_withdraw_case(case=first, actor=tree.submitter)
    second = _hand_in(campaign, tree, submit=False)
    case_services.do_submit_case(case=second, actor=tree.submitter)
    assert KindCase.objects.exclude(state__in=case_services.INACTIVE).count() == 1


def test_a_draft_of_a_person_handed_in_meanwhile_is_refused_at_handing_in(tree, open_campaign):
    campaign = open_campaign(_kind(tree))
    draft = _hand_in(campaign, tree, submit=False)
    _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b)
    with pytest.raises(RuleViolation):
        case_services.do_submit_case(case=draft, actor=tree.submitter)
    draft.refresh_from_db()
    assert draft.state == S.DRAFT


def test_without_the_rule_the_same_person_may_be_handed_in_twice(tree, open_campaign):
    campaign = open_campaign(_kind(tree, unique=False))
    _hand_in(campaign, tree)
    _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b)
    assert KindCase.objects.exclude(state=S.DRAFT).count() == 2


def test_a_kind_without_an_id_number_compares_the_name(tree, open_campaign):
    fields = [f for f in copy.deepcopy(FIELDS) if f["type"] != "id_number"]
    campaign = open_campaign(_kind(tree, fields=fields))
    _hand_in(campaign, tree, name="先进班组")
    with pytest.raises(RuleViolation):
        _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b, name="先进班组")
    _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b, name="另一个班组")


def test_the_mayday_starters_have_the_rule():
    import json
    from pathlib import Path

    from awards.kinds import starters

    for name in ("mayday-individual", "mayday-unit", "mayday-team"):
        spec = json.loads((Path(starters.__path__[0]) / f"{name}.json").read_text())
        assert spec["route"]["unique_person"] is True


def _two_drafts(tree):
    from awards.kinds.models import KindCampaign

    version = _kind(tree)
    campaign = case_services.do_open_campaign(
        versions=[version], year=2026, title="并发", actor=tree.admin_d,
        deadline=case_services.end_of_day(__import__("datetime").date.today()
                                          + __import__("datetime").timedelta(days=30)))
    campaign = KindCampaign.objects.get(pk=campaign.pk)
    a = _hand_in(campaign, tree, submit=False)
    b = _hand_in(campaign, tree, organisation=tree.union_b1, submitter=tree.submitter_b, submit=False)
    return {tree.submitter.pk: a, tree.submitter_b.pk: b}


def _race(tree, monkeypatch, pause=0.3):
    drafts = _two_drafts(tree)
    checked = case_services.check_unique_person

    def slow_check(case):
        # Where a slow request pauses between its check and its commit.
        checked(case)
        time.sleep(pause)

    monkeypatch.setattr(case_services, "check_unique_person", slow_check)

    def act(actor, _seen):
        try:
            case_services.do_submit_case(case=KindCase.objects.get(pk=drafts[actor.pk].pk), actor=actor)
        except RuleViolation as refusal:
            raise LookupError(str(refusal)) from refusal

    outcomes = run_together([tree.submitter, tree.submitter_b], lambda: None, act)
    active = KindCase.objects.exclude(state__in=case_services.INACTIVE).count()
    return outcomes, active


@pytest.mark.parametrize("_", [None], ids=["locked"])
@RACE_MARKS[0]
@RACE_MARKS[1]
def test_two_hand_ins_of_the_same_person_at_once_one_wins(tree, monkeypatch, _):
    outcomes, active = _race(tree, monkeypatch)
    assert active == 1
    assert outcomes[-1] == "won" and "已在本次评选活动中被推荐" in outcomes[0], outcomes


@RACE_MARKS[0]
@RACE_MARKS[1]
def test_without_the_campaigns_lock_the_race_is_real(tree, monkeypatch):
    monkeypatch.setattr(case_services, "_lock_campaign_first", lambda campaign, version: None)
    outcomes, active = _race(tree, monkeypatch)
    assert outcomes == ["won", "won"] and active == 2

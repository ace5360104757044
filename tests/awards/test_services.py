import pytest

from awards.mayday import services
from workflows.documents.case_certificates import certificate_of
from workflows.steps.decisions import decide
from awards.mayday.models import NominationState as S
from workflows.audit import history_of
from workflows.exceptions import AlreadyHandled, NotAllowed
from tests.conftest import pass_public_notice
from workflows.steps.actors import inbox_tasks
from workflows.steps.tasks import open_step_names


def test_full_route_to_award(tree, make_nomination, django_capture_on_commit_callbacks):
    n = make_nomination()
    assert n.state == S.SUBMITTED
    assert open_step_names(n) == ["confirm"]
    assert [t.process.artifact for t in inbox_tasks(tree.chair)] == [n]
    assert list(inbox_tasks(tree.reviewer_a)) == []

    decide(decision="approve", case=n, actor=tree.chair)
    assert n.state == S.CONFIRMED and open_step_names(n) == ["review_intermediate"]
    decide(decision="approve", case=n, actor=tree.reviewer_a, comment="同意推荐")
    assert n.state == S.INTERMEDIATE_APPROVED
    decide(decision="approve", case=n, actor=tree.reviewer_d)
    assert n.state == S.AWAITING_NOTICE and open_step_names(n) == ["notice"]
    pass_public_notice(tree, n)
    assert n.state == S.DISTRICT_APPROVED and open_step_names(n) == ["decide"]
    with django_capture_on_commit_callbacks(execute=True):
        decide(case=n, actor=tree.admin_d, decision="award")
    assert n.state == S.AWARDED and open_step_names(n) == []
    cert = certificate_of(n)
    assert cert.number == "涪工奖〔2024〕第0001号"
    assert cert.document is not None
    actions = [e.action for e in history_of(n)]
    assert actions[-2:] == ["awards.nomination.awarded", "awards.certificate.issued"]


def test_wrong_role_is_refused(tree, make_nomination):
    n = make_nomination()
    with pytest.raises(NotAllowed):
        decide(decision="approve", case=n, actor=tree.reviewer_a)
    assert n.state == S.SUBMITTED


def test_stale_decision_is_already_handled(tree, make_nomination):
    from awards.mayday.models import Nomination

    n = make_nomination()
    stale = Nomination.objects.get(pk=n.pk)
    decide(decision="approve", case=n, actor=tree.chair)
    with pytest.raises(AlreadyHandled):
        decide(decision="approve", case=stale, actor=tree.chair)


def test_return_and_resubmit(tree, make_nomination):
    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    decide(decision="return", case=n, actor=tree.reviewer_a, comment="补充事迹")
    assert n.state == S.RETURNED and open_step_names(n) == ["revise"]
    n.deeds = "修改后的事迹"
    services.nomination_save_draft(nomination=n, actor=tree.submitter)
    decide(decision="resubmit", case=n, actor=tree.submitter)
    assert n.state == S.SUBMITTED and n.round == 2 and open_step_names(n) == ["confirm"]


def test_withdrawal_only_before_the_first_review_or_when_returned(tree, make_nomination):
    from workflows.exceptions import RuleViolation

    n = make_nomination()
    decide(decision="approve", case=n, actor=tree.chair)
    with pytest.raises(RuleViolation):
        services.nomination_withdraw(nomination=n, actor=tree.submitter)
    assert n.state == S.CONFIRMED and open_step_names(n) == ["review_intermediate"]

    decide(decision="return", case=n, actor=tree.reviewer_a, comment="补充材料")
    services.nomination_withdraw(nomination=n, actor=tree.submitter, comment="不再推荐")
    assert n.state == S.WITHDRAWN and open_step_names(n) == []

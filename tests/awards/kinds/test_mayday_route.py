"""May Day's route rules as options of a kind (route.reason_on_refusal,
route.withdraw_until, route.resubmission_comment), the chair's return and
bulk, the return at the final decision, recusal by ID number and the
second factor the kinds process declares. Each rule is shown holding and
not holding: with the option and without it."""

import pytest

from awards.kinds import cases as case_services
from awards.kinds import services
from awards.kinds.declaration import KIND_CASE_PROCESS, may_be_withdrawn
from awards.kinds.forms import ChangesForm
from awards.kinds.models import KindCase
from awards.kinds.models import KindCaseState as S
from awards.roles import Role
from tests.awards.kinds.conftest import definition, filled
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import ConflictRelation, OrgKind
from workflows.organisations import recusal, roles
from workflows.steps.bulk import bulk_decisions, decide_many
from workflows.steps.decisions import buttons_for, decide
from workflows.steps.tasks import open_step_names

# The refusals as the union reads them (zh-hans, the default language).
REFUSED_EARLY = "案件进入审核后不能再撤回：只能在单位工会主席确认前，或退回修改期间撤回。"
REFUSED_LATE = "区总工会已作出决定，申报不能再撤回。"


@pytest.fixture
def kind_with(tree):
    """A kind whose route carries the given options (None: left out, so
    the default is read)."""
    serial = iter(range(1, 1000))

    def make(*, steps=("confirm",), **options):
        data = definition(steps=steps)
        data["route"].update({k: v for k, v in options.items() if v is not None})
        return services.do_create_kind(district=tree.district, code=f"route-{next(serial)}", definition=data,
                                       actor=tree.admin_d)
    return make


def fresh(case):
    return KindCase.objects.get(pk=case.pk)


def at_decision(tree, case):
    decide(case=case, actor=tree.reviewer_d, decision="approve")
    case = fresh(case)
    assert case.state == S.DECIDING
    return case


# The chair's return and bulk


def test_the_chair_returns_a_case_with_a_reason_only(tree, kind_with, open_campaign, make_case):
    case = make_case(open_campaign(kind_with()))
    assert case.state == S.CONFIRMING
    assert "return" in {b.code for b in buttons_for(tree.chair, case)}
    with pytest.raises(RuleViolation):
        decide(case=case, actor=tree.chair, decision="return", comment="  ")
    assert fresh(case).state == S.CONFIRMING

    decide(case=fresh(case), actor=tree.chair, decision="return", comment="事迹材料不全")
    assert fresh(case).state == S.RETURNED


def test_the_chairs_step_is_offered_in_bulk_and_a_review_step_is_not(tree, kind_with, open_campaign, make_case):
    # Not recommending ends the case: it is confirmed one by one.
    assert set(bulk_decisions(KIND_CASE_PROCESS.step("confirm"))) == {"confirm", "return"}
    assert bulk_decisions(KIND_CASE_PROCESS.step("decision")) == {}

    campaign = open_campaign(kind_with())
    first, second = make_case(campaign), make_case(campaign)
    items = [(c.pk, c.version) for c in (first, second)]
    # A bulk return needs its reason too.
    with pytest.raises(RuleViolation):
        decide_many(process=KIND_CASE_PROCESS, items=items, decision="return", actor=tree.chair,
                    queryset=KindCase.objects.all())
    outcomes = decide_many(process=KIND_CASE_PROCESS, items=items, decision="confirm", actor=tree.chair,
                           queryset=KindCase.objects.all())
    assert [o.ok for o in outcomes] == [True, True]
    assert {fresh(first).state, fresh(second).state} == {S.DISTRICT}


# The return at the final decision


def test_the_final_decision_may_return_the_case(tree, kind_with, open_campaign, make_case):
    case = at_decision(tree, make_case(open_campaign(kind_with(steps=()))))
    assert "return" in {b.code for b in buttons_for(tree.admin_d, case)}
    with pytest.raises(RuleViolation):
        decide(case=case, actor=tree.admin_d, decision="return")
    assert fresh(case).state == S.DECIDING
    decide(case=fresh(case), actor=tree.admin_d, decision="return", comment="请补充近三年事迹")
    assert fresh(case).state == S.RETURNED


# A reason on a refusing outcome


@pytest.mark.parametrize("reason_on_refusal", [True, False, None])
def test_a_refusing_outcome_needs_a_reason_only_where_the_route_says_so(
        tree, kind_with, open_campaign, make_case, reason_on_refusal):
    case = at_decision(tree, make_case(open_campaign(kind_with(steps=(), reason_on_refusal=reason_on_refusal))))
    required = {b.code: b.comment_required for b in buttons_for(tree.admin_d, case)}
    # Granting never needs one.
    assert required["outcome_1"] is False and required["outcome_2"] is bool(reason_on_refusal)
    if reason_on_refusal:
        with pytest.raises(RuleViolation, match="请说明作出该结果的理由。"):
            decide(case=case, actor=tree.admin_d, decision="outcome_2", comment="")
        assert fresh(case).state == S.DECIDING
        decide(case=fresh(case), actor=tree.admin_d, decision="outcome_2", comment="事迹不够突出")
    else:
        decide(case=case, actor=tree.admin_d, decision="outcome_2")
    assert fresh(case).state == S.NOT_GRANTED


def test_granting_needs_no_reason_even_where_refusing_does(tree, kind_with, open_campaign, make_case):
    case = at_decision(tree, make_case(open_campaign(kind_with(steps=(), reason_on_refusal=True))))
    decide(case=case, actor=tree.admin_d, decision="outcome_1")
    assert fresh(case).state == S.GRANTED


# The withdraw window


def test_before_the_first_review_the_union_withdraws_only_while_the_chair_has_not_confirmed(
        tree, kind_with, open_campaign, make_case):
    campaign = open_campaign(kind_with(withdraw_until="first_review"))
    early, late, returned = make_case(campaign), make_case(campaign), make_case(campaign)
    assert may_be_withdrawn(early)
    case_services.do_withdraw_case(case=early, actor=tree.submitter)
    assert fresh(early).state == S.WITHDRAWN

    decide(case=late, actor=tree.chair, decision="confirm")
    late = fresh(late)
    assert late.state == S.DISTRICT and not may_be_withdrawn(late)
    with pytest.raises(RuleViolation, match=REFUSED_EARLY):
        case_services.do_withdraw_case(case=late, actor=tree.submitter)
    assert fresh(late).state == S.DISTRICT

    # A returned case the union may always take back.
    decide(case=returned, actor=tree.chair, decision="return", comment="请补充材料")
    returned = fresh(returned)
    assert may_be_withdrawn(returned)
    case_services.do_withdraw_case(case=returned, actor=tree.submitter)
    assert fresh(returned).state == S.WITHDRAWN


@pytest.mark.parametrize("withdraw_until", ["decision", None])
def test_until_the_decision_the_union_withdraws_under_review_but_not_once_decided(
        tree, kind_with, open_campaign, make_case, withdraw_until):
    campaign = open_campaign(kind_with(withdraw_until=withdraw_until))
    reviewed, deciding = make_case(campaign), make_case(campaign)
    decide(case=reviewed, actor=tree.chair, decision="confirm")
    reviewed = fresh(reviewed)
    assert reviewed.state == S.DISTRICT and may_be_withdrawn(reviewed)
    case_services.do_withdraw_case(case=reviewed, actor=tree.submitter)
    assert fresh(reviewed).state == S.WITHDRAWN

    decide(case=deciding, actor=tree.chair, decision="confirm")
    deciding = at_decision(tree, fresh(deciding))
    assert not may_be_withdrawn(deciding)
    with pytest.raises(RuleViolation, match=REFUSED_LATE):
        case_services.do_withdraw_case(case=deciding, actor=tree.submitter)
    assert fresh(deciding).state == S.DECIDING


# What was changed, on handing in again


def returned_case(tree, campaign, make_case):
    case = make_case(campaign)
    decide(case=case, actor=tree.chair, decision="return", comment="请补充材料")
    case = fresh(case)
    assert case.state == S.RETURNED
    return case


def resubmit(tree, case, comment):
    form = case_services.form_class(case.kind_version)(filled(case.kind_version, 7, name="候选人改"))
    assert form.is_valid(), form.errors
    return case_services.do_resubmit_case(case=case, form=form, actor=tree.submitter, comment=comment)


def test_a_required_note_of_what_was_changed(tree, kind_with, open_campaign, make_case):
    case = returned_case(tree, open_campaign(kind_with(resubmission_comment="required")), make_case)
    assert ChangesForm(case=case).fields["comment"].required
    assert not ChangesForm({"comment": ""}, case=case).is_valid()
    with pytest.raises(RuleViolation, match="请说明修改了哪些内容。"):
        resubmit(tree, case, "")
    assert fresh(case).state == S.RETURNED
    resubmit(tree, fresh(case), "补充了证明材料")
    assert fresh(case).state == S.CONFIRMING


@pytest.mark.parametrize("resubmission_comment", ["optional", None])
def test_an_optional_note_of_what_was_changed(tree, kind_with, open_campaign, make_case, resubmission_comment):
    case = returned_case(tree, open_campaign(kind_with(resubmission_comment=resubmission_comment)), make_case)
    assert not ChangesForm(case=case).fields["comment"].required
    resubmit(tree, case, "")
    assert fresh(case).state == S.CONFIRMING


# Recusal by ID number


def test_a_reviewer_whose_own_id_number_is_the_candidates_cannot_decide(tree, kind_with, open_campaign, make_case):
    campaign = open_campaign(kind_with(steps=()))
    own, other = make_case(campaign), make_case(campaign)
    assert own.answers["id_number"] != other.answers["id_number"]
    recusal.conflict_declare(reviewer=tree.reviewer_d, relation=ConflictRelation.SELF, actor=tree.reviewer_d,
                             person_id_number=own.answers["id_number"])
    with pytest.raises(NotAllowed):
        decide(case=fresh(own), actor=tree.reviewer_d, decision="approve")
    assert fresh(own).state == S.DISTRICT
    # Another candidate's case is theirs to decide.
    decide(case=other, actor=tree.reviewer_d, decision="approve")
    assert fresh(other).state == S.DECIDING


# The second factor


def test_the_kinds_process_alone_declares_the_second_factor_for_reviewers_and_officers(monkeypatch):
    assert KIND_CASE_PROCESS.second_factor_roles == {Role.REVIEWER: (OrgKind.DISTRICT,), Role.DEPARTMENT: None}
    # Gathered from the kinds process only, as the registry gathers them.
    monkeypatch.setattr(roles, "_SECOND_FACTOR", {})
    for code, kinds in KIND_CASE_PROCESS.second_factor_roles.items():
        roles.require_second_factor(code, kinds)
    gathered = roles.second_factor_roles()
    assert gathered == {Role.REVIEWER: frozenset({OrgKind.DISTRICT}), Role.DEPARTMENT: None}
    assert roles.requires_second_factor(Role.REVIEWER, OrgKind.DISTRICT)
    assert roles.requires_second_factor(Role.DEPARTMENT, OrgKind.DEPARTMENT)
    # A reviewer below the district reads masked numbers; a submitter needs none.
    assert not roles.requires_second_factor(Role.REVIEWER, OrgKind.INTERMEDIATE)
    assert not roles.requires_second_factor(Role.SUBMITTER, OrgKind.GRASSROOTS)


# On May Day's own kinds (the starters; ported from tests/awards/test_services.py
# and test_id_numbers.py)


def test_the_may_day_union_withdraws_only_before_the_chairs_confirmation_or_while_returned(
        tree, make_mayday_case):
    early, late = make_mayday_case(), make_mayday_case()
    case_services.do_withdraw_case(case=early, actor=tree.submitter, comment="不再推荐")
    assert fresh(early).state == S.WITHDRAWN

    decide(case=late, actor=tree.chair, decision="confirm")
    with pytest.raises(RuleViolation, match=REFUSED_EARLY):
        case_services.do_withdraw_case(case=fresh(late), actor=tree.submitter)
    assert fresh(late).state == S.INTERMEDIATE
    decide(case=fresh(late), actor=tree.reviewer_a, decision="return", comment="补充材料")
    case_services.do_withdraw_case(case=fresh(late), actor=tree.submitter, comment="不再推荐")
    late = fresh(late)
    assert late.state == S.WITHDRAWN and open_step_names(late) == []


def _pdf_text(response):
    import io

    from pypdf import PdfReader

    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                 else response.content)).pages
    return "".join(p.extract_text() for p in pages).replace(" ", "").replace("\n", "")


def test_the_district_and_the_asked_departments_read_the_id_number_in_full_recorded(
        client, tree, departments, open_mayday, make_mayday_case):
    from django.urls import reverse

    from workflows.audit import history_of

    campaign = open_mayday("mayday-signed", signoffs=True)
    case = make_mayday_case(campaign=campaign)  # of union_a1, a non-public enterprise's: tax and safety sign off
    full = case.answers["id_number"]
    masked = f"{full[:3]}{'*' * 11}{full[-4:]}"
    decide(case=case, actor=tree.chair, decision="confirm")
    decide(case=fresh(case), actor=tree.reviewer_a, decision="forward")
    decide(case=fresh(case), actor=tree.reviewer_d, decision="approve")
    assert fresh(case).state == S.SIGNOFFS
    page, printed = reverse("kinds:case_detail", args=[case.pk]), reverse("kinds:case_printed", args=[case.pk])

    def viewed():
        return [(e.actor, e.role, e.organisation.code, e.data["where"]) for e in history_of(case)
                if e.action == case_services.IDENTITY_VIEWED]

    # The union, its chair and the town: masked, whatever they ask, and nothing recorded.
    for user in (tree.submitter, tree.chair, tree.reviewer_a):
        client.force_login(user)
        shown = client.get(page + "?full=1").content.decode()
        assert masked in shown and full not in shown and 'href="?full=1"' not in shown
        text = _pdf_text(client.get(printed + "?full=1"))
        assert masked in text and full not in text
    assert viewed() == []

    for user in (tree.admin_d, tree.reviewer_d, departments["tax"]):
        client.force_login(user)
        shown = client.get(page).content.decode()
        assert masked in shown and full not in shown and 'href="?full=1"' in shown
        assert full in client.get(page + "?full=1").content.decode()
    client.force_login(departments["tax"])
    assert full in _pdf_text(client.get(printed + "?full=1"))
    assert viewed() == [(tree.admin_d, "district_admin", "district", "page"),
                        (tree.reviewer_d, "reviewer", "district", "page"),
                        (departments["tax"], "department", "dept-tax", "page"),
                        (departments["tax"], "department", "dept-tax", "printed_form")]
    # Audit signs off state-owned enterprises only: this case is not theirs to see.
    client.force_login(departments["audit"])
    assert client.get(page).status_code == 404
    # A submitter of another branch never sees the case.
    client.force_login(tree.submitter_b)
    assert client.get(page + "?full=1").status_code == 404


def test_the_kinds_route_is_sound_and_grants_only_from_the_decision():
    """Ported from tests/awards/test_declaration.py (May Day's declaration):
    the engine's checks find the kinds' declaration sound, every live
    state belongs to one step, and only the final decision grants."""
    from workflows.steps.checks import declaration_problems

    assert declaration_problems(KIND_CASE_PROCESS) == []
    live = set(S.values) - set(KIND_CASE_PROCESS.final_states) - {KIND_CASE_PROCESS.initial}
    owned = [state for step in KIND_CASE_PROCESS.steps for state in step.states]
    assert set(owned) == live and len(owned) == len(live)
    allowed = KIND_CASE_PROCESS.allowed()
    assert {source for source, target in allowed if target == S.GRANTED} == {S.DECIDING}
    assert (S.DRAFT, S.GRANTED) not in allowed

"""Personas of the engine's tests and a journey through the toy process.

district (reviewer_d, admin)
└── town (reviewer): the unit's superior, where its review happens
    └── unit (submitter): where toy cases come from
Two inspectors hold no role: they are named on each case.
"""

import datetime
import os

import pytest

if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.engine.settings":
    raise pytest.UsageError(
        "tests/engine runs under its own settings (no awards, the toy process installed): "
        "pytest --ds=tests.engine.settings tests/engine"
    )

# What follows needs the toy app, installed only by those settings.
from django.utils import timezone

from tests.conftest import make_org, make_user
from tests.engine.toy.declaration import TOY
from tests.engine.toy.models import ToyCase
from tests.engine.toy.models import ToyState as S
from tests.engine.toy.notices import toy_notice_open
from workflows.audit import history_of
from workflows.models import OrgKind
from workflows.notices.services import close_notice
from workflows.steps.decisions import decide, do_transition
from workflows.steps.tasks import open_step_names


class People:
    pass


@pytest.fixture
def people(db):
    p = People()
    p.district = make_org("示范区总工会", "district", OrgKind.DISTRICT)
    p.town = make_org("甲镇工会", "town", OrgKind.INTERMEDIATE, p.district)
    p.unit = make_org("甲一厂工会", "unit", OrgKind.GRASSROOTS, p.town)
    p.submitter = make_user("submitter", (p.unit, "submitter"))
    p.reviewer = make_user("reviewer", (p.town, "reviewer"))
    p.reviewer_d = make_user("reviewer_d", (p.district, "reviewer"))
    p.admin = make_user("admin", (p.district, "district_admin"))
    p.inspector1 = make_user("inspector1")
    p.inspector2 = make_user("inspector2")
    return p


@pytest.fixture
def departments(people):
    """Two departments of the district, each with its officer (role
    "department"), to be asked for a sign-off."""
    tax = make_org("区税务局", "tax", OrgKind.DEPARTMENT, people.district)
    safety = make_org("区安监局", "safety", OrgKind.DEPARTMENT, people.district)
    people.tax_officer = make_user("tax_officer", (tax, "department"))
    people.safety_officer = make_user("safety_officer", (safety, "department"))
    return [tax, safety]


def assert_tasks_match_state(case):
    """The engine's invariant: a live case has exactly the open tasks of its
    state's step (one per person for a fan-out), a final case none."""
    step = TOY.step_of_state(case.state)
    names = open_step_names(case)
    if step is None:
        assert names == [], f"{case.state}: {names}"
    else:
        assert names and set(names) == {step.name}, f"{case.state}: {names}"


def last_entry(case):
    return history_of(case).order_by("-created", "-pk").first()


class Journey:
    """Takes a toy case to a given state by the engine's own services."""

    def __init__(self, people):
        self.p = people

    def new(self, title="甲一厂申请", inspectors=None):
        case = ToyCase.objects.create(title=title, organisation=self.p.unit, created_by=self.p.submitter)
        case.inspectors.set(inspectors if inspectors is not None else [self.p.inspector1, self.p.inspector2])
        return case

    def submitted(self, **kwargs):
        case = self.new(**kwargs)
        do_transition(case=case, actor=self.p.submitter, code="submit")
        return case

    def at_signoff(self, departments, **kwargs):
        """Reviewed, awaiting the sign-offs of `departments`."""
        case = self.new(**kwargs)
        case.signoff_departments.set(departments)
        do_transition(case=case, actor=self.p.submitter, code="submit")
        decide(case=case, actor=self.p.reviewer, decision="approve")
        assert case.state == S.SIGNOFF
        return case

    def in_inspection(self, reviewer=None, **kwargs):
        case = self.submitted(**kwargs)
        decide(case=case, actor=reviewer or self.p.reviewer, decision="approve")
        return case

    def inspect(self, case):
        """Every inspector agrees."""
        for inspector in case.inspectors.order_by("pk"):
            decide(case=case, actor=inspector, decision="agree")
        case.refresh_from_db()
        return case

    def publish(self, case, opened_on=None):
        notice = toy_notice_open(cases=[case], district=self.p.district, actor=self.p.admin, opened_on=opened_on)
        case.refresh_from_db()
        assert case.state == S.IN_NOTICE
        return notice

    def close(self, notice):
        """The notice's administrator closes it the day after its window."""
        return close_notice(notice=notice, actor=self.p.admin, today=notice.closes_on + datetime.timedelta(days=1))

    def awaiting_notice(self, **kwargs):
        return self.inspect(self.in_inspection(**kwargs))

    def in_notice(self, **kwargs):
        case = self.awaiting_notice(**kwargs)
        return case, self.publish(case)

    def notice_passed(self, **kwargs):
        case, notice = self.in_notice(**kwargs)
        self.close(notice)
        case.refresh_from_db()
        assert case.state == S.NOTICE_PASSED
        return case


@pytest.fixture
def journey(people):
    return Journey(people)


@pytest.fixture
def today():
    return timezone.localdate()

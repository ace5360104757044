"""A model-home campaign on the demo's 100-point standard, two inspectors
and helpers that fill in and drive an application."""

import datetime
from decimal import Decimal

import pytest

from tests.conftest import make_org, make_user
from workflows.models import OrgKind
from workflows.steps.decisions import decide


@pytest.fixture
def mh(tree):
    from demo.modelhome_standard import DEMO_STANDARD
    from awards.modelhome.models import Campaign
    from workflows.scoring.standards import standard_create

    tree.sub_a1 = make_org("甲一机械厂一车间分工会", "sub-a1", OrgKind.SUB_UNION, tree.union_a1)
    tree.sub_submitter = make_user("sub_submitter", (tree.sub_a1, "submitter"))
    tree.inspector_1 = make_user("inspector_1", (tree.district, "inspector"))
    tree.inspector_2 = make_user("inspector_2", (tree.district, "inspector"))
    tree.inspector_3 = make_user("inspector_3", (tree.district, "inspector"))
    version = standard_create(district=tree.district, code="mh-standard", name="模范职工之家考核标准",
                              data=DEMO_STANDARD, actor=tree.admin_d)
    tree.campaign = Campaign.objects.create(
        code="model-home-test", year=2024, title="2024年度模范职工之家评选", district=tree.district,
        standard_version=version,
    )
    return tree


def full_answers(campaign, *, scale=Decimal("1"), veto=False, overrides=None):
    """Answers for every item: scored items at `scale` of their points,
    no bonus or deduction, every veto declared not applying (or applying)."""
    answers = {}
    for item in campaign.standard_version.ordered_items():
        if item.kind == "veto":
            answers[item.pk] = {"score": None, "veto": veto, "evidence": ""}
        elif item.kind == "scored":
            answers[item.pk] = {"score": (item.max_points * scale).quantize(Decimal("0.01")), "veto": None,
                                "evidence": f"{item.code} 佐证"}
        else:
            answers[item.pk] = {"score": Decimal("0"), "veto": None, "evidence": ""}
    for code, value in (overrides or {}).items():
        item = campaign.standard_version.ordered_items().get(code=code)
        answers[item.pk] = {**answers[item.pk], **value}
    return answers


def fill(mh, org=None, submitter=None, submit=True, **kwargs):
    from awards.modelhome import services
    from awards.modelhome.models import Application

    application = Application(
        campaign=mh.campaign, organisation=org or mh.union_a1, chair_name="王主席", staff_count=200,
        member_count=196, satisfaction_surveyed=150, satisfaction_satisfied=145, deeds="建家工作扎实。",
    )
    services.application_save(application=application, actor=submitter or mh.submitter,
                              answers=full_answers(mh.campaign, **kwargs), submit=submit)
    return application


def to_inspection(mh, application):
    from awards.modelhome import services

    reviewer = mh.reviewer_a if application.organisation.is_within(mh.town_a) else mh.reviewer_b
    decide(case=application, actor=reviewer, decision="recommend")
    services.inspectors_assign(application=application, actor=mh.admin_d, inspectors=[mh.inspector_1,
                                                                                         mh.inspector_2])
    return application


def score(mh, application, inspector, scale=Decimal("1"), submit=True, veto=False):
    from awards.modelhome import services

    inspection = application.inspections.get(inspector=inspector)
    return services.inspection_save(inspection=inspection, actor=inspector,
                                    scores=full_answers(mh.campaign, scale=scale, veto=veto), submit=submit)


def through_notice(mh, *applications):
    from awards.modelhome.decisions import campaign_notice_open
    from workflows.notices.services import close_notice

    notice = campaign_notice_open(campaign=mh.campaign, actor=mh.admin_d)
    close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    for application in applications:
        application.refresh_from_db()
    return notice

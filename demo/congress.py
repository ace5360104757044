"""The congress reports' part of the demo (called by `seed_demo`): the
facts of the demo's grassroots unions, 2024 reporting periods with reports
in every state, and so a coverage dashboard with figures; 2024 is then
closed, so the demo shows a closed year. Safe to run
twice: facts are set through the service (which records only changes) and
a period that exists is left as it is."""

import datetime

from django.utils import timezone

from workflows.models import Organisation, OrgKind, Sector

from evaluations.congress import services
from evaluations.congress.coverage import CLOSING
from evaluations.congress.facts import do_update_facts
from evaluations.congress.models import Report, ReportingPeriod, ReportKind
from evaluations.congress.periods import do_open_period

# The year the demo's facts and reports are of (and the year it closes).
DEMO_YEAR = 2024

FACTS = {
    # code: facts (the sector comes from the organisation)
    "jixie": dict(above_size_threshold=True, has_congress=True, collective_contract=True, wage_bargaining=True,
                  mediation_body=True, women_special_contract=True, standardised=True, union_founded_year=2024,
                  democratic_evaluation_on=datetime.date(2024, 4, 18)),
    "fangzhi": dict(above_size_threshold=True, has_congress=True, collective_contract=True, wage_bargaining=True,
                    mediation_body=True, women_special_contract=False, standardised=True, union_founded_year=1992,
                    democratic_evaluation_on=datetime.date(2024, 3, 22)),
    "gongdian": dict(has_congress=True, collective_contract=True, mediation_body=False, standardised=False,
                     union_founded_year=1998, democratic_evaluation_on=datetime.date(2023, 12, 5)),
    "jianzhu": dict(above_size_threshold=True, has_congress=True, collective_contract=False, mediation_body=True,
                    standardised=False, union_founded_year=2003),
    "yiyuan": dict(has_congress=True, collective_contract=True, women_special_contract=True, mediation_body=True,
                   standardised=True, union_founded_year=1985, democratic_evaluation_on=datetime.date(2024, 5, 9)),
    "xiaoxue": dict(has_congress=True, union_founded_year=1990),
    "shuiwu": dict(above_size_threshold=True, has_congress=True, collective_contract=True, wage_bargaining=True,
                   mediation_body=True, women_special_contract=True, standardised=True, union_founded_year=2001,
                   democratic_evaluation_on=datetime.date(2024, 6, 20)),
}

# Non-public enterprises whose unions only this part of the demo needs (the
# work plan's targets are mostly about them); they have no demo accounts,
# so their reports stay due and show as overdue.
MORE_UNIONS = [
    ("hongda", "城关宏达电子有限公司工会", dict(above_size_threshold=True, has_congress=True, collective_contract=True,
                                           wage_bargaining=False, mediation_body=True, union_founded_year=2024,
                                           democratic_evaluation_on=datetime.date(2024, 9, 3))),
    ("xiangmanyuan", "城关香满园食品有限公司工会", dict(above_size_threshold=True, has_congress=False,
                                                 collective_contract=False, union_founded_year=2024)),
    ("shunjie", "城关顺捷物流有限公司工会", dict(above_size_threshold=False, has_congress=True, mediation_body=False,
                                           union_founded_year=2019)),
    ("jiayi", "城关佳艺装饰工程有限公司工会", dict(above_size_threshold=True, has_congress=False,
                                             collective_contract=True, women_special_contract=True,
                                             union_founded_year=2024)),
]

EXPENSE = {
    "budget": "80000.00", "actual": "61200.00",
    "items": [{"item": "客户来访接待用餐", "amount": "38600.00", "note": "共 21 批次"},
              {"item": "合作单位考察接待", "amount": "15400.00", "note": "含住宿"},
              {"item": "节日慰问座谈", "amount": "7200.00", "note": ""}],
    "compliance": "严格执行公务接待“事前审批、事后报销”制度，无超标准接待。",
    "review_opinion": "职代会审议认为，本半年业务招待费控制在预算内，同意该报告；建议进一步压减接待费用。",
    "review_date": "2024-07-12",
}

SESSION = {
    "session_name": "第五届职工代表大会第三次会议", "session_date": "2024-03-15", "delegates_entitled": 60,
    "delegates_present": 52, "agenda": "一、审议厂务公开工作报告；二、审议业务招待费使用情况；三、民主评议企业领导人员。",
    "resolutions": "会议审议通过了厂务公开工作报告和业务招待费使用情况报告。",
}

# The state each demo union's expense report ends in; the on-time ones
# are stamped as handed in before the due day (the demo runs in 2026).
EXPENSE_PLAN = {"jixie": "archived", "fangzhi": "accepted", "gongdian": "checked", "jianzhu": "returned",
                "shuiwu": "submitted"}
ON_TIME = {"jixie", "fangzhi", "shuiwu"}
SESSION_PLAN = {"jixie": "submitted", "fangzhi": "accepted", "yiyuan": "draft"}


def _period(kind_code, year, half, sectors, district, admin):
    kind = ReportKind.objects.get(code=kind_code)
    period = ReportingPeriod.objects.filter(district=district, kind=kind, year=year, half=half).first()
    if period is not None:
        return period, False
    return do_open_period(kind=kind, year=year, half=half, sectors=sectors, district=district, actor=admin), True


def _drive(report, target, data, users, code):
    """Take a fresh report to `target` through the services."""
    submitter = users[f"{code}_submit"]
    services.do_save_report_draft(report=report, data=data, actor=submitter)
    if target == "draft":
        return
    services.do_submit_report(report=report, actor=submitter)
    reviewer = users["cg_review"] if report.organisation.parent.code == "chengguan" else users["qzjg_review"]
    if target == "submitted":
        return
    services.do_decide_report(report=report, actor=reviewer, decision="forward")
    if target == "checked":
        return
    if target == "returned":
        services.do_decide_report(report=report, actor=users["qz_review"], decision="return",
                                  comment="主要开支项目中“合作单位考察接待”请补充批次和人数，审议日期请与会议记录一致。")
        return
    services.do_decide_report(report=report, actor=users["qz_review"], decision="accept")
    if target == "archived":
        services.do_decide_report(report=report, actor=users["qz_admin"], decision="archive")


def _stamp_on_time(period, codes):
    """Demo only: the reports of `codes` were handed in before the due day."""
    handed_in = timezone.make_aware(datetime.datetime.combine(period.due_on - datetime.timedelta(days=5),
                                                              datetime.time(10)))
    Report.objects.filter(period=period, organisation__code__in=codes).update(first_submitted_at=handed_in)


def _more_unions(orgs):
    for code, name, _facts in MORE_UNIONS:
        orgs[code], _created = Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": OrgKind.GRASSROOTS, "parent": orgs["chengguan"],
                                 "sector": Sector.NON_PUBLIC})
    return {code: facts for code, _name, facts in MORE_UNIONS}


def seed_congress_demo(orgs, users):
    admin = users["qz_admin"]
    orgs = dict(orgs)
    facts = {**FACTS, **_more_unions(orgs)}
    for code, values in facts.items():
        do_update_facts(organisation=orgs[code], values={"unionised": True, **values}, actor=admin, source="demo",
                        year=DEMO_YEAR)
    district = orgs["district"]
    enterprises = [Sector.NON_PUBLIC, Sector.STATE_OWNED, Sector.COLLECTIVE]
    expense, new = _period("entertainment-expenses", 2024, 1, enterprises, district, admin)
    if new:
        for code, target in EXPENSE_PLAN.items():
            _drive(Report.objects.get(period=expense, organisation=orgs[code]), target, EXPENSE, users, code)
        _stamp_on_time(expense, ON_TIME)
    sessions, new = _period("session-record", 2024, None, enterprises + [Sector.INSTITUTION], district, admin)
    if new:
        for code, target in SESSION_PLAN.items():
            data = dict(SESSION) if target != "draft" else {"session_name": SESSION["session_name"]}
            _drive(Report.objects.get(period=sessions, organisation=orgs[code]), target, data, users, code)
        Report.objects.filter(period=sessions, organisation__code__in=SESSION_PLAN).exclude(
            state="draft").update(first_submitted_at=timezone.make_aware(datetime.datetime(2024, 3, 20, 9)))
    _period("integrity", 2024, None, [Sector.STATE_OWNED], district, admin)
    _close_demo_year(district, admin)
    return Report.objects.filter(period__year=2024).count()


def _close_demo_year(district, admin):
    """The demo shows a closed year: 2024's figures frozen as seeded (left
    as it is when the demo is seeded again, or while 2024 has not ended)."""
    if DEMO_YEAR < timezone.localdate().year and CLOSING.closed(district, DEMO_YEAR) is None:
        CLOSING.close(district=district, year=DEMO_YEAR, actor=admin)

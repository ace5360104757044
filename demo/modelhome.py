"""The model-home part of the demo (called by `seed_demo`; safe to run
twice: everything is looked up first, the campaigns' applications are made
only when the campaign is new).

- model-home-2022: two titles granted in 2022; at re-inspection one was
  revoked (摘牌), the other is re-inspected and awaits the decision.
- model-home-2024: applications in every state, one with inspectors who
  disagree, a public notice under way, titles with plaque certificates."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from awards.roles import Role
from workflows.models import Membership, Organisation, OrgKind, Standard
from workflows.notices.services import close_notice
from workflows.scoring.standards import standard_create
from workflows.steps.decisions import decide

from awards.modelhome import decisions, services
from awards.modelhome.models import Application, Campaign, Title

from demo.modelhome_standard import DEMO_STANDARD

SUB_UNIONS = [
    # code, name, parent code
    ("jixie-cj1", "机械公司一车间分工会", "jixie"),
    ("jixie-cj2", "机械公司二车间分工会", "jixie"),
    ("fangzhi-fs", "纺织集团纺纱车间分工会", "fangzhi"),
    ("gongdian-yw", "供电所运维班工会小组", "gongdian"),
    ("yiyuan-hl", "区人民医院护理部分工会", "yiyuan"),
    ("xiaoxue-js", "区实验小学教师工会小组", "xiaoxue"),
    ("shuiwu-gw", "自来水公司管网所分工会", "shuiwu"),
    ("jianzhu-xm", "建筑公司项目部工会小组", "jianzhu"),
]
INSPECTORS = [("qz_inspect1", "考核组·刘卫东"), ("qz_inspect2", "考核组·孙晓梅"), ("qz_inspect3", "考核组·周国平")]

# Applicant → (state to reach, inspectors' scales); the order matters: the
# first group shares a notice that has ended, xiaoxue a notice under way.
PLAN_2024 = [
    ("jixie", "granted_model", (Decimal("0.96"), Decimal("0.94"))),
    ("fangzhi", "granted_qualified", (Decimal("0.86"), Decimal("0.84"))),
    ("jixie-cj1", "granted_model", (Decimal("0.95"), Decimal("0.93"))),
    ("gongdian", "not_granted", (Decimal("0.72"), Decimal("0.70"))),
    ("yiyuan", "notice_passed", (Decimal("0.92"), Decimal("0.91"))),
]


def _users(orgs):
    User = get_user_model()
    users = {}
    for username, full_name in INSPECTORS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created:
            from demo.accounts import DEMO_PASSWORD

            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=orgs["district"], role=Role.INSPECTOR)
        users[username] = user
    for code, _name, _parent in SUB_UNIONS:
        user, created = User.objects.get_or_create(username=f"{code.replace('-', '_')}_submit",
                                                   defaults={"first_name": f"{orgs[code].name}·经办人"})
        if created:
            from demo.accounts import DEMO_PASSWORD

            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, organisation=orgs[code], role=Role.SUBMITTER)
        users[code] = user
    for username in ("qz_admin", "cg_review", "qzjg_review"):
        users[username] = User.objects.get(username=username)
    for code in ("jixie", "fangzhi", "gongdian", "jianzhu", "yiyuan", "xiaoxue", "shuiwu"):
        users[code] = User.objects.get(username=f"{code}_submit")
    return users


def _orgs():
    orgs = {o.code: o for o in Organisation.objects.all()}
    for code, name, parent in SUB_UNIONS:
        if code not in orgs:
            orgs[code] = Organisation.objects.create(code=code, name=name, kind=OrgKind.SUB_UNION,
                                                     parent=orgs[parent], sector=orgs[parent].sector)
    return orgs


def _answers(version, scale):
    answers = {}
    for item in version.ordered_items():
        if item.kind == "veto":
            answers[item.pk] = {"score": None, "veto": False, "evidence": ""}
        elif item.kind == "scored":
            answers[item.pk] = {"score": (item.max_points * scale).quantize(Decimal("0.5")), "veto": None,
                                "evidence": f"见附件：{item.guidance or '工作台账'}"}
        else:
            answers[item.pk] = {"score": Decimal("0"), "veto": None, "evidence": ""}
    return answers


class Driver:
    def __init__(self, campaign, orgs, users):
        self.campaign, self.orgs, self.users = campaign, orgs, users
        self.version = campaign.standard_version

    def apply(self, code, submit=True, scale=Decimal("0.95")):
        org = self.orgs[code]
        application = Application(
            campaign=self.campaign, organisation=org, chair_name="（演示）工会主席", staff_count=240,
            member_count=232, satisfaction_surveyed=180, satisfaction_satisfied=171,
            deeds=f"{org.name}坚持党政工共建，职代会制度健全，开展劳动竞赛和送温暖活动。",
        )
        services.application_save(application=application, actor=self.users[code], submit=submit,
                                  answers=_answers(self.version, scale))
        return application

    def reviewer(self, application):
        return self.users["cg_review" if application.organisation.is_within(self.orgs["chengguan"])
                          else "qzjg_review"]

    def inspect(self, application, scales, *, submit_all=True):
        decide(case=application, actor=self.reviewer(application), decision="recommend")
        inspectors = [self.users["qz_inspect1"], self.users["qz_inspect2"]]
        services.inspectors_assign(application=application, actor=self.users["qz_admin"], inspectors=inspectors)
        for inspector, scale in zip(inspectors, scales):
            inspection = application.inspections.get(inspector=inspector)
            services.inspection_save(inspection=inspection, actor=inspector, scores=_answers(self.version, scale),
                                     submit=submit_all or inspector == inspectors[0])
        application.refresh_from_db()
        return application

    def notice(self, opened_on=None, close=False):
        notice = decisions.campaign_notice_open(campaign=self.campaign, actor=self.users["qz_admin"],
                                                opened_on=opened_on)
        if close:
            close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
        return notice


def _campaign(code, year, title, version, district):
    return Campaign.objects.create(code=code, year=year, title=title, district=district, standard_version=version,
                                   certificate_number_format="区模家〔{year}〕第{seq:03d}号")


def seed_model_home():
    """Make the model-home demo; returns the 2024 campaign."""
    existing = Campaign.objects.filter(code="model-home-2024").first()
    if existing is not None:
        return existing
    # All or nothing, so that a run stopped half-way is simply run again.
    with transaction.atomic():
        orgs = _orgs()
        users = _users(orgs)
        standard = Standard.objects.filter(code="mhome-standard").first()
        version = standard.latest_version() if standard else standard_create(
            district=orgs["district"], code="mhome-standard", name="示范区模范职工之家（小家）考核标准",
            data=DEMO_STANDARD, actor=users["qz_admin"])
        _seed_2022(version, orgs, users)
        return _seed_2024(version, orgs, users)


def _seed_2022(version, orgs, users):
    campaign = _campaign("model-home-2022", 2022, "2022年度模范职工之家评选", version, orgs["district"])
    drive = Driver(campaign, orgs, users)
    applications = [drive.inspect(drive.apply(code), (Decimal("0.95"), Decimal("0.94")))
                    for code in ("jianzhu", "shuiwu")]
    drive.notice(opened_on=datetime.date(2022, 11, 21), close=True)
    admin = users["qz_admin"]
    for application in applications:
        application.refresh_from_db()
        decide(case=application, actor=admin, decision="model")
    # As granted in December 2022 for two years: due for re-inspection.
    Title.objects.filter(campaign=campaign).update(granted_on=datetime.date(2022, 12, 20),
                                                   due_on=datetime.date(2024, 12, 20))
    titles = {t.holder.code: t for t in Title.objects.filter(campaign=campaign).select_related("holder")}
    cases = {c.organisation.code: c for c in decisions.reinspection_open(titles=titles.values(), actor=admin)}
    # 自来水: re-inspected, found below the line, revoked (摘牌).
    case = cases["shuiwu"]
    inspectors = [users["qz_inspect1"], users["qz_inspect3"]]
    services.inspectors_assign(application=case, actor=admin, inspectors=inspectors)
    for inspector, scale in zip(inspectors, (Decimal("0.66"), Decimal("0.62"))):
        services.inspection_save(inspection=case.inspections.get(inspector=inspector), actor=inspector,
                                 scores=_answers(version, scale), submit=True)
    case.refresh_from_db()
    decide(case=case, actor=admin, decision="revoke",
                                 comment="复查得分低于合格线，职代会两年未召开。")
    # 建筑公司: re-inspected, awaiting the district's decision.
    case = cases["jianzhu"]
    services.inspectors_assign(application=case, actor=admin, inspectors=inspectors)
    for inspector, scale in zip(inspectors, (Decimal("0.92"), Decimal("0.9"))):
        services.inspection_save(inspection=case.inspections.get(inspector=inspector), actor=inspector,
                                 scores=_answers(version, scale), submit=True)


def _seed_2024(version, orgs, users):
    campaign = _campaign("model-home-2024", 2024, "2024年度模范职工之家（小家）评选", version, orgs["district"])
    drive = Driver(campaign, orgs, users)
    done = []
    for code, target, scales in PLAN_2024:
        done.append((drive.inspect(drive.apply(code), scales), target))
    drive.notice(opened_on=timezone.localdate() - datetime.timedelta(days=20), close=True)
    for application, target in done:
        decision = {"granted_model": "model", "granted_qualified": "qualified", "not_granted": "not_granted"}.get(target)
        if decision:
            application.refresh_from_db()
            decide(case=application, actor=users["qz_admin"], decision=decision)
    # 区实验小学: under public notice now.
    drive.inspect(drive.apply("xiaoxue"), (Decimal("0.93"), Decimal("0.92")))
    drive.notice()
    # 机械二车间: inspectors 12 points apart (the flag is at 5).
    drive.inspect(drive.apply("jixie-cj2"), (Decimal("0.95"), Decimal("0.83")))
    # 纺纱车间: one inspector has submitted, the other not yet.
    drive.inspect(drive.apply("fangzhi-fs"), (Decimal("0.9"), Decimal("0.88")), submit_all=False)
    decide(case=drive.apply("gongdian-yw"), actor=users["cg_review"],
                                decision="recommend")
    drive.apply("yiyuan-hl")
    decide(case=drive.apply("shuiwu"), actor=users["qzjg_review"], decision="return",
                                comment="请补充职代会决议和会员评家测评表。")
    decide(case=drive.apply("xiaoxue-js"), actor=users["qzjg_review"],
                                decision="reject", comment="入会率未达90%，暂不推荐。")
    services.application_withdraw(application=drive.apply("shuiwu-gw", submit=False), actor=users["shuiwu-gw"])
    drive.apply("jianzhu-xm", submit=False, scale=Decimal("0.5"))
    return campaign

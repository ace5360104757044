"""Demo evaluations, made through the real services (seed_demo calls
`seed_cadre_evaluations`; safe to run twice: an evaluation that exists is
left as it is).

- pingyi-2024-jixie: open for voting, 45 unused slips, a voter list;
- pingyi-2024-fangzhi: published, 30 ballots (26 by phone, 4 on paper
  entered by two tellers), one cadre below the 2/3 threshold."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from workflows.models import Organisation

from evaluations.cadres import paper, services
from evaluations.cadres.models import Evaluation, Grade, Voter, VotingCode
from evaluations.cadres.voting import do_cast_ballot
from ballots.paper import confirm_batch, enter_batch
from workflows.steps.decisions import decide

JIXIE_CADRES = [
    ("刘建华", "董事长兼总经理"), ("陈立新", "副总经理（生产）"), ("孙丽萍", "副总经理（财务）"),
    ("吴海涛", "总工程师"), ("周国庆", "工会主席"),
]
FANGZHI_CADRES = [
    ("郑宏伟", "党委书记、董事长"), ("黄晓梅", "总经理"), ("马俊", "副总经理（营销）"),
    ("林秀英", "工会主席"), ("高志刚", "纪委书记"), ("何文斌", "副总经理（生产）"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "国栋", "春梅", "立军", "晓东", "玉兰", "明辉", "桂芳", "文静", "永刚"]
DEPARTMENTS = ["一车间", "二车间", "装配车间", "质检部", "销售部", "财务部", "后勤保障部"]
# Per cadre, the weights of 优秀 / 称职 / 基本称职 / 不称职 / 弃权.
FANGZHI_WEIGHTS = [
    (60, 30, 6, 2, 2), (45, 40, 10, 3, 2), (15, 40, 30, 12, 3), (55, 35, 6, 2, 2), (40, 45, 10, 3, 2), (30, 50, 15, 3, 2),
]
GRADES = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, ""]
PAPER_KEYS = {Grade.EXCELLENT: "1", Grade.COMPETENT: "2", Grade.BASIC: "3", Grade.INCOMPETENT: "4", "": "0"}


def _voters(evaluation, count, rng):
    Voter.objects.bulk_create([
        Voter(evaluation=evaluation, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
              department=rng.choice(DEPARTMENTS), staff_number=f"{evaluation.organisation.code[:2].upper()}{i:04d}")
        for i in range(1, count + 1)
    ])


def _new(code, org, users, cadres, entitled, title, meeting_date, opens, closes, paper_issued=0):
    evaluation = Evaluation(
        code=code, organisation=org, year=2024, title=title, entitled_count=entitled, meeting_date=meeting_date,
        method="职工代表无记名投票", voting_opens_at=opens, voting_closes_at=closes, paper_ballots_issued=paper_issued,
    )
    services.do_create_evaluation(evaluation=evaluation, cadres=cadres, tellers=[users["submit"], users["chair"]],
                                  actor=users["submit"])
    return evaluation


def _to_voting(evaluation, users, reviewer, codes):
    services.do_submit_plan(evaluation=evaluation, actor=users["submit"])
    decide(case=evaluation, actor=reviewer, decision="approve", comment="评议方案符合要求，同意。")
    services.do_generate_codes(evaluation=evaluation, count=codes, actor=users["submit"])
    decide(case=evaluation, actor=users["chair"], decision="open_voting")


def seed_cadre_evaluations(users, stdout=None):
    """`users`: the demo's users by username (seed_demo's make_users)."""
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["jixie", "fangzhi"])}
    reviewer = users["cg_review"]
    now = timezone.now()
    rng = random.Random(2024)
    made = []
    if not Evaluation.objects.filter(code="pingyi-2024-jixie").exists():
        jixie = {"submit": users["jixie_submit"], "chair": users["jixie_chair"]}
        with transaction.atomic():
            evaluation = _new(
                "pingyi-2024-jixie", orgs["jixie"], jixie, JIXIE_CADRES, 45, "2024年度城关机械制造有限公司领导人员民主评议",
                datetime.date(2024, 12, 27), now - datetime.timedelta(hours=1), now + datetime.timedelta(days=60),
            )
            _voters(evaluation, 45, rng)
            _to_voting(evaluation, jixie, reviewer, 45)
        made.append(evaluation)
    if not Evaluation.objects.filter(code="pingyi-2024-fangzhi").exists():
        made.append(_seed_fangzhi(orgs["fangzhi"], users, reviewer, now, rng))
    if stdout is not None:
        for evaluation in made:
            stdout.write(f"Democratic evaluation {evaluation.code}: {evaluation.get_state_display()}")
        stdout.write("Voting page of the open evaluation: /evaluations/vote/pingyi-2024-jixie/ "
                     "(slips: manage.py print_voting_slips --evaluation pingyi-2024-jixie --output slips.pdf); "
                     "published results: /evaluations/results/pingyi-2024-fangzhi/")
    return made


def _seed_fangzhi(org, users, reviewer, now, rng):
    fangzhi = {"submit": users["fangzhi_submit"], "chair": users["fangzhi_chair"]}
    with transaction.atomic():
        evaluation = _new(
            "pingyi-2024-fangzhi", org, fangzhi, FANGZHI_CADRES, 36, "2024年度城关纺织集团领导班子成员民主评议",
            datetime.date(2024, 12, 20), now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=2),
            paper_issued=4,
        )
        _voters(evaluation, 36, rng)
        _to_voting(evaluation, fangzhi, reviewer, 30)
        cadres = list(evaluation.cadres.all())

        def ballot():
            return {c.pk: rng.choices(GRADES, weights=w)[0] for c, w in zip(cadres, FANGZHI_WEIGHTS)}

        for code in list(VotingCode.objects.filter(evaluation=evaluation).order_by("code"))[:26]:
            do_cast_ballot(evaluation=evaluation, code=code.code, grades=ballot())
        lines = ["".join(PAPER_KEYS[g] for g in ballot().values()) for _ in range(4)]
        batch = enter_batch(paper.PAPER, case=evaluation, declared_count=4, text="\n".join(lines),
                            actor=fangzhi["submit"])
        confirm_batch(paper.PAPER, batch=batch, declared_count=4, text="\n".join(lines), actor=fangzhi["chair"])
        decide(case=evaluation, actor=fangzhi["chair"], decision="close_voting")
        decide(case=evaluation, actor=fangzhi["chair"], decision="tally")
        decide(case=evaluation, actor=reviewer, decision="approve_results",
               comment="计票准确，结果有效，同意公布。")
        decide(case=evaluation, actor=fangzhi["chair"], decision="publish")
        # The demo's story happened at the 2024 meeting: show that window.
        Evaluation.objects.filter(pk=evaluation.pk).update(
            voting_opens_at=timezone.make_aware(datetime.datetime(2024, 12, 20, 9, 0)),
            voting_closes_at=timezone.make_aware(datetime.datetime(2024, 12, 20, 11, 0)),
        )
    evaluation.refresh_from_db()
    return evaluation

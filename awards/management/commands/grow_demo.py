"""Grow the demo's mayday-2024 campaign to N nominations through the real
services (submit, the chair's confirmation, each review level, some
returned or rejected, some on a public notice and awarded), so the pages
and the load benchmark (bench/) can be tried at scale.

Runs seed_demo first when the demo is missing. Safe to run twice: the
nominations it made are counted and not made again, so a second run with
the same N does nothing and a larger N adds the difference. Awards are
decided as the campaign's mix rules allow; one they refuse stays awaiting
the district's decision."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from awards.management.commands.seed_demo import UNITS
from awards.mayday import services
from awards.mayday.forms import id_check_character
from awards.mayday.models import AwardKind, Campaign, Nomination, NominationState, Quota
from awards.mayday.signoffs import departments_for, nomination_signoff
from awards.roles import Role
from workflows.models import Membership
from awards.mayday.notices import campaign_notice_open, notice_close
from workflows.exceptions import NotAllowed, RuleViolation
from django.contrib.auth import get_user_model

CAMPAIGN = "mayday-2024"
PREFIX = "规模候选人"
# Where the i-th grown nomination ends (by i % 10): mostly waiting at one
# level or another, as a campaign in full swing looks.
ROUTE = ["submitted", "submitted", "returned", "confirmed", "confirmed", "intermediate_approved",
         "intermediate_approved", "rejected", "awarded", "awarded"]
UNITS_IN_TURN = ["yiyuan", "xiaoxue", "shuiwu", "jixie", "fangzhi", "gongdian", "jianzhu"]
# Awarded in turn: a public institution (no sign-offs) and a non-public
# enterprise (the departments sign off first), so the mix rules hold.
AWARDED_FROM = ["yiyuan", "jixie"]
NOTICE_BATCH = 200


def grown_id_number(i):
    """A well-formed ID number of its own for the i-th grown nomination
    (seed_demo's own numbers use another serial range)."""
    first17 = f"52{i // 1000:04d}19800101{i % 1000:03d}"
    return first17 + id_check_character(first17)


class Command(BaseCommand):
    help = "Grow the demo campaign to N nominations through the services (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many grown nominations the campaign holds.")
        parser.add_argument("--i-know-this-is-production", action="store_true", dest="production_ok")

    def handle(self, *args, cases, production_ok, **options):
        if not settings.DEVELOPMENT and not production_ok:
            raise CommandError("grow_demo adds demo data: run it with UNIONFLOW_ENV=development "
                               "(or pass --i-know-this-is-production).")
        if not Campaign.objects.filter(code=CAMPAIGN).exists():
            call_command("seed_demo", production_ok=production_ok, stdout=self.stdout)
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.grow(Campaign.objects.get(code=CAMPAIGN), cases)

    def grow(self, campaign, target):
        users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
        users["qz_admin"] = get_user_model().objects.get(username="qz_admin")
        made = Nomination.objects.filter(campaign=campaign, nominee_name__startswith=PREFIX).count()
        if made >= target:
            self.stdout.write(f"The campaign already holds {made} grown nominations: nothing to do.")
            return
        # Room for every grown nomination in the intermediate unions' quotas.
        Quota.objects.filter(campaign=campaign, parent__isnull=True).exclude(count__gte=target).update(count=target)
        awaiting_notice = []
        for i in range(made, target):
            route = ROUTE[i % len(ROUTE)]
            code = AWARDED_FROM[i % 2] if route == "awarded" else UNITS_IN_TURN[i % len(UNITS_IN_TURN)]
            nomination = self.drive(campaign, users, i, code, route)
            if route == "awarded":
                awaiting_notice.append(nomination)
            if len(awaiting_notice) >= NOTICE_BATCH or (i + 1 == target and awaiting_notice):
                self.award(campaign, users["qz_admin"], awaiting_notice)
                awaiting_notice = []
            if (i + 1) % 100 == 0 or i + 1 == target:
                self.stdout.write(f"{i + 1}/{target} grown nominations")
        self.stdout.write(self.style.SUCCESS(
            f"Campaign {campaign.code}: {campaign.nominations.count()} nominations in all."
        ))

    def drive(self, campaign, users, i, code, route):
        org = users[f"{code}_submit"].memberships.get().organisation
        submitter, chair = users[f"{code}_submit"], users[f"{code}_chair"]
        reviewer = users["cg_review"] if org.parent.code == "chengguan" else users["qzjg_review"]
        nomination = Nomination(
            campaign=campaign, organisation=org, kind=AwardKind.INDIVIDUAL, sector=org.sector,
            nominee_name=f"{PREFIX}{i:05d}", gender="MF"[i % 2], ethnicity="汉族",
            birth_date=datetime.date(1980, 1, 1), id_number=grown_id_number(i), political_status="cpc",
            education="bachelor", work_unit=UNITS[code], post="技术员", job_title="技师",
            candidate_category="front_line", deeds="扎根一线，勇于创新，技术攻关成绩突出。" * 4,
            summary="技术攻关成绩突出。", congress_discussed_on=datetime.date(2024, 3, 8),
            contact_phone=f"0851-7{i:07d}"[:13],
        )
        services.nomination_save_draft(nomination=nomination, actor=submitter)
        services.nomination_submit(nomination=nomination, actor=submitter)
        if route == "submitted":
            return nomination
        if route == "returned":
            services.nomination_return(nomination=nomination, actor=chair, comment="请补充职代会讨论记录")
            return nomination
        services.nomination_approve(nomination=nomination, actor=chair, comment="同意推荐")
        if route == "confirmed":
            return nomination
        if route == "rejected":
            services.nomination_reject(nomination=nomination, actor=reviewer, comment="事迹不够突出")
            return nomination
        services.nomination_approve(nomination=nomination, actor=reviewer, comment="同意推荐")
        if route == "intermediate_approved":
            return nomination
        services.nomination_approve(nomination=nomination, actor=users["qz_review"], comment="同意上报")
        nomination.refresh_from_db()
        if nomination.state == NominationState.SIGNOFF:
            for department in departments_for(campaign.district, nomination.effective_sector):
                officer = Membership.objects.filter(organisation=department, role=Role.DEPARTMENT).first().user
                nomination_signoff(nomination=nomination, actor=officer, agreed=True, comment="无不良记录")
        return nomination

    def award(self, campaign, admin, nominations):
        """One public notice for the batch, closed with no objection, then
        the district's decision on each (as the mix rules allow)."""
        notice = campaign_notice_open(campaign=campaign, actor=admin, nominations=nominations,
                                      opened_on=datetime.date(2024, 4, 8))
        notice_close(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
        refused = 0
        for nomination in nominations:
            nomination.refresh_from_db()
            try:
                services.nomination_decide(nomination=nomination, actor=admin, awarded=True, comment="予以表彰")
            except (RuleViolation, NotAllowed):
                refused += 1
        self.stdout.write(f"  notice {notice.pk}: {len(nominations)} candidates, {len(nominations) - refused} awarded")

"""Grow the demo to a given size, so the pages and the load benchmark
(bench/web.py) can be tried at scale.

    manage.py grow_demo --orgs 500 --cases 10000

`--orgs N`: the tree grows to N organisations: intermediate unions, each
with its reviewer (规模片区NN总工会, user grow_iNN_review) and ten grassroots
unions (submitter and chair each: grow_gNNN_submit, grow_gNNN_chair), all
with the demo password. Organisations, users and memberships are made in
bulk (one password hash for all): they are set-up data, not decisions.

`--cases N`: the mayday-2024 campaign grows to N nominations, each taken
through the real services (submit, the chair's confirmation, each review
level, some returned or rejected, some on a public notice and awarded), so
every state change, audit entry, task and notification row is the
engine's. Awards are decided as the campaign's mix rules allow; one they
refuse stays awaiting the district's decision.

Runs seed_demo first when the demo is missing. Safe to run twice: what it
made is counted and not made again, so a larger N adds the difference.

Speed: the campaign's clock is frozen once for the whole run (its
submission deadline has passed: without it nothing can be submitted), e-mail
goes to the dummy backend and tasks to the dummy task backend (no
certificate is rendered, no mail sent: those after-commit side effects do
not change what the pages show), and who acts on each case (its
organisations' submitter, chair and reviewer, the departments' officers)
is looked up once, not per case. What remains is the engine's own work,
some 190 queries a case on average over the routes. `--jobs N` drives
blocks of cases in N processes side by side; the audit chain's lock
serialises most of each decision, so two processes gain about a third,
and now and then PostgreSQL breaks a deadlock between them by rolling one
decision back: that nomination stays where it got to (reported), the run
goes on."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections, transaction
from django.test.utils import override_settings

from demo.accounts import DEMO_PASSWORD
from demo.management.commands.seed_demo import UNITS
from awards.mayday import services
from workflows.steps.decisions import decide
from workflows.dataforms.identity import id_check_character
from awards.mayday.models import AwardKind, Campaign, Nomination, NominationState
from workflows.models import Quota
from awards.mayday.notices import campaign_notice_open
from workflows.notices.services import close_notice
from awards.mayday.signoffs import departments_for
from workflows.signoffs.answering import answer_signoff
from awards.roles import Role
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Membership, Organisation, OrgKind, Sector

CAMPAIGN = "mayday-2024"
PREFIX = "规模候选人"
# Where the i-th grown nomination ends (by i % 10): mostly waiting at one
# level or another, as a campaign in full swing looks. Four in ten wait at
# the intermediate unions' reviewers: the load benchmark (bench/web.py)
# decides those, and its capacity run must not run out of them (at 500
# organisations and 10,000 cases, some 90 in each reviewer's inbox).
ROUTE = ["submitted", "returned", "confirmed", "confirmed", "confirmed", "confirmed", "intermediate_approved",
         "rejected", "awarded", "awarded"]
UNITS_IN_TURN = ["yiyuan", "xiaoxue", "shuiwu", "jixie", "fangzhi", "gongdian", "jianzhu"]
# Awarded in turn: a public institution (no sign-offs) and a non-public
# enterprise (the departments sign off first), so the mix rules hold.
AWARDED_FROM = ["yiyuan", "jixie"]
NOTICE_BATCH = 200
# Grown organisations: an intermediate union, then this many grassroots
# unions under it.
GRASSROOTS_PER_INTERMEDIATE = 10
GROWN_SECTORS = [Sector.STATE_OWNED, Sector.COLLECTIVE, Sector.NON_PUBLIC, Sector.INSTITUTION]
# Inside the campaign's submission window (it closed on 29 March 2024); the
# clock ticks on from here while the command runs.
CLOCK_START = datetime.datetime(2024, 3, 11, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def grown_id_number(i):
    """A well-formed ID number of its own for the i-th grown nomination
    (seed_demo's own numbers use another serial range)."""
    first17 = f"52{i // 1000:04d}19800101{i % 1000:03d}"
    return first17 + id_check_character(first17)


def grown_reviewer(k):
    return f"grow_i{k:02d}_review"


class Command(BaseCommand):
    help = "Grow the demo to N organisations and N nominations (through the services; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many grown nominations the campaign holds.")
        parser.add_argument("--orgs", type=int, default=0,
                            help="How many organisations the tree holds (default: as it is).")
        parser.add_argument("--jobs", type=int, default=1,
                            help="Processes driving nominations side by side (default 1).")
        parser.add_argument("--i-know-this-is-production", action="store_true", dest="production_ok")

    def handle(self, *args, cases, orgs, jobs, production_ok, **options):
        if not settings.DEVELOPMENT and not production_ok:
            raise CommandError("grow_demo adds demo data: run it with UNIONFLOW_ENV=development "
                               "(or pass --i-know-this-is-production).")
        if not Campaign.objects.filter(code=CAMPAIGN).exists():
            call_command("seed_demo", production_ok=production_ok, stdout=self.stdout)
        from freezegun import freeze_time

        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        )
        with quiet, freeze_time(CLOCK_START, tick=True):
            campaign = Campaign.objects.get(code=CAMPAIGN)
            if orgs:
                self.grow_orgs(campaign, orgs)
            self.grow(campaign, cases, jobs)

    # Organisations and accounts ---------------------------------------------------

    def grow_orgs(self, campaign, target):
        """Intermediate unions with their grassroots unions, until the tree
        holds `target` organisations (the last block may be cut short)."""
        missing = target - Organisation.objects.count()
        if missing <= 0:
            self.stdout.write(f"The tree already holds {Organisation.objects.count()} organisations.")
            return
        district = Organisation.objects.get(code="district")
        made = Organisation.objects.filter(code__startswith="grow-i").count()
        grassroots_made = Organisation.objects.filter(code__startswith="grow-g").count()
        plan = []  # (intermediate number, grassroots numbers under it)
        k, g = made, grassroots_made
        while missing > 0:
            k += 1
            children = list(range(g + 1, g + 1 + min(GRASSROOTS_PER_INTERMEDIATE, missing - 1)))
            g += len(children)
            plan.append((k, children))
            missing -= 1 + len(children)
        with transaction.atomic():
            intermediates = self.bulk_orgs([
                Organisation(code=f"grow-i{k:02d}", name=f"规模片区{k:02d}总工会", kind=OrgKind.INTERMEDIATE, parent=district)
                for k, _ in plan
            ])
            grassroots = self.bulk_orgs([
                Organisation(code=f"grow-g{n:03d}", name=f"规模{n:03d}号企业工会", kind=OrgKind.GRASSROOTS,
                             parent=intermediate, sector=GROWN_SECTORS[n % len(GROWN_SECTORS)])
                for intermediate, (k, children) in zip(intermediates, plan) for n in children
            ])
            accounts = [(grown_reviewer(k), f"片区{k:02d}审核人", org, Role.REVIEWER)
                        for org, (k, _) in zip(intermediates, plan)]
            for org in grassroots:
                n = int(org.code.rsplit("g", 1)[1])
                accounts.append((f"grow_g{n:03d}_submit", f"企业{n:03d}填报人", org, Role.SUBMITTER))
                accounts.append((f"grow_g{n:03d}_chair", f"企业{n:03d}主席", org, Role.CHAIR))
            self.bulk_accounts(accounts)
            # The district's places for each new intermediate union: enough
            # for whatever is grown under it.
            Quota.objects.bulk_create([
                Quota(scope=campaign, organisation=org, category=kind, count=100000)
                for org in intermediates for kind in (AwardKind.INDIVIDUAL, AwardKind.UNIT, AwardKind.TEAM)
            ])
        self.stdout.write(f"{len(intermediates)} intermediate and {len(grassroots)} grassroots unions added: "
                          f"{Organisation.objects.count()} organisations in all.")

    @staticmethod
    def bulk_orgs(orgs):
        """Organisation.save() computes the path from the pk; in bulk the
        pks come first, then the paths."""
        made = Organisation.objects.bulk_create(orgs)
        for org in made:
            org.path = f"{org.parent.path}{org.pk}/"
        Organisation.objects.bulk_update(made, ["path"])
        return made

    @staticmethod
    def bulk_accounts(accounts):
        """Users (one hash of the demo password for all) and their memberships."""
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create([
            User(username=username, first_name=full_name, password=password, email=f"{username}@demo.unionflow.local")
            for username, full_name, _, _ in accounts
        ])
        Membership.objects.bulk_create([
            Membership(user=user, organisation=org, role=role)
            for user, (_, _, org, role) in zip(users, accounts)
        ])

    # Nominations ------------------------------------------------------------------

    def grow(self, campaign, target, jobs):
        existing = set(Nomination.objects.filter(campaign=campaign, nominee_name__startswith=PREFIX)
                       .values_list("nominee_name", flat=True))
        todo = [i for i in range(target) if f"{PREFIX}{i:05d}" not in existing]
        if not todo:
            self.stdout.write(f"The campaign already holds {len(existing)} grown nominations: nothing to do.")
            return
        # Room for every grown nomination in the intermediate unions' quotas.
        Quota.objects.filter(awards_campaign=campaign, parent__isnull=True).exclude(count__gte=target).update(count=target)
        if jobs <= 1:
            self.grow_part(campaign, todo, target)
        else:
            self.grow_in_parallel(campaign, todo, target, jobs)
        self.stdout.write(self.style.SUCCESS(
            f"Campaign {campaign.code}: {campaign.nominations.count()} nominations in all."
        ))

    def grow_in_parallel(self, campaign, todo, target, jobs):
        """`jobs` forked processes, each driving every jobs-th block of ten
        (a block holds every route), each on its own connection."""
        import multiprocessing

        parts = [[i for i in todo if (i // len(ROUTE)) % jobs == w] for w in range(jobs)]
        connections.close_all()
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=self.grow_forked, args=(campaign, part, target)) for part in parts if part]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        failed = [w.exitcode for w in workers if w.exitcode]
        if failed:
            raise CommandError(f"{len(failed)} of {len(workers)} grow processes failed (run again to finish).")

    def grow_part(self, campaign, indices, target):
        self.cast = Cast(campaign)
        awaiting_notice, failed = [], []
        for done, i in enumerate(indices, 1):
            route = ROUTE[i % len(ROUTE)]
            try:
                nomination = self.drive(campaign, i, self.cast.unit_for(i, route), route)
            except OperationalError as exc:
                # Side by side (--jobs), two processes can deadlock on the
                # audit chain's lock: PostgreSQL rolls one decision back; the
                # nomination stays where it got to and the run goes on.
                failed.append(i)
                self.stderr.write(f"nomination {i} stopped short: {exc}".splitlines()[0])
                continue
            if route == "awarded":
                awaiting_notice.append(nomination)
            if len(awaiting_notice) >= NOTICE_BATCH or (done == len(indices) and awaiting_notice):
                try:
                    self.award(campaign, self.cast.admin, awaiting_notice)
                except OperationalError as exc:
                    failed.extend(n.pk for n in awaiting_notice)
                    self.stderr.write(f"a notice stopped short: {exc}".splitlines()[0])
                awaiting_notice = []
            if done % 100 == 0 or done == len(indices):
                self.stdout.write(f"{done}/{len(indices)} of this run's nominations (up to {target})")
        if failed:
            self.stdout.write(f"{len(failed)} nominations stopped short of their route.")

    def grow_forked(self, campaign, indices, target):
        """grow_part in a forked process, which leaves its connection closed."""
        try:
            self.grow_part(campaign, indices, target)
        finally:
            connections.close_all()

    def drive(self, campaign, i, org, route):
        cast = self.cast
        submitter, chair, reviewer = cast.submitter[org.pk], cast.chair[org.pk], cast.reviewer[org.parent_id]
        nomination = Nomination(
            campaign=campaign, organisation=org, kind=AwardKind.INDIVIDUAL, sector=org.sector,
            nominee_name=f"{PREFIX}{i:05d}", gender="MF"[i % 2], ethnicity="汉族",
            birth_date=datetime.date(1980, 1, 1), id_number=grown_id_number(i), political_status="cpc",
            education="bachelor", work_unit=UNITS.get(org.code, org.name), post="技术员", job_title="技师",
            candidate_category="front_line", deeds="扎根一线，勇于创新，技术攻关成绩突出。" * 4,
            summary="技术攻关成绩突出。", congress_discussed_on=datetime.date(2024, 3, 8),
            contact_phone=f"0851-7{i:07d}"[:13],
        )
        services.nomination_save_draft(nomination=nomination, actor=submitter)
        services.nomination_submit(nomination=nomination, actor=submitter)
        if route == "submitted":
            return nomination
        if route == "returned":
            decide(decision="return", case=nomination, actor=chair, comment="请补充职代会讨论记录")
            return nomination
        decide(decision="approve", case=nomination, actor=chair, comment="同意推荐")
        if route == "confirmed":
            return nomination
        if route == "rejected":
            decide(decision="reject", case=nomination, actor=reviewer, comment="事迹不够突出")
            return nomination
        decide(decision="approve", case=nomination, actor=reviewer, comment="同意推荐")
        if route == "intermediate_approved":
            return nomination
        decide(decision="approve", case=nomination, actor=cast.district_reviewer, comment="同意上报")
        if nomination.state == NominationState.SIGNOFF:
            for officer in cast.officers(nomination.effective_sector):
                answer_signoff(role=Role.DEPARTMENT, case=nomination, actor=officer, agreed=True, comment="无不良记录")
        return nomination

    def award(self, campaign, admin, nominations):
        """One public notice for the batch, closed with no objection, then
        the district's decision on each (as the mix rules allow)."""
        notice = campaign_notice_open(campaign=campaign, actor=admin, nominations=nominations,
                                      opened_on=datetime.date(2024, 4, 8))
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
        refused = 0
        for nomination in nominations:
            nomination.refresh_from_db()
            try:
                decide(case=nomination, actor=admin, decision="award", comment="予以表彰")
            except (RuleViolation, NotAllowed):
                refused += 1
        self.stdout.write(f"  notice {notice.pk}: {len(nominations)} candidates, {len(nominations) - refused} awarded")


class Cast:
    """Who acts on the grown nominations, looked up once: each grassroots
    union's submitter and chair, each intermediate union's reviewer, the
    district's reviewer and administrator, the departments' officers."""

    def __init__(self, campaign):
        User = get_user_model()
        self.campaign = campaign
        self.admin = User.objects.get(username="qz_admin")
        self.district_reviewer = User.objects.get(username="qz_review")
        self.submitter, self.chair, self.reviewer = {}, {}, {}
        by_role = {Role.SUBMITTER: self.submitter, Role.CHAIR: self.chair, Role.REVIEWER: self.reviewer}
        units = {}
        memberships = Membership.objects.filter(
            role__in=list(by_role), organisation__kind__in=[OrgKind.GRASSROOTS, OrgKind.INTERMEDIATE],
            organisation__path__startswith=campaign.district.path,
        ).select_related("user", "organisation").order_by("organisation__path", "user__username")
        for membership in memberships:
            # The first holder of each role (the demo's, or the grown one).
            by_role[membership.role].setdefault(membership.organisation_id, membership.user)
            units[membership.organisation.code] = membership.organisation
        self.demo_units = [units[code] for code in UNITS_IN_TURN]
        self.awarded_from = [units[code] for code in AWARDED_FROM]
        # Grown grassroots unions whose intermediate union has a reviewer,
        # taken in turn across the intermediate unions (the first of each,
        # then the second ...), so any number of cases spreads over every
        # reviewer's inbox.
        grown = [org for code, org in sorted(units.items())
                 if code.startswith("grow-g") and org.parent_id in self.reviewer
                 and org.pk in self.submitter and org.pk in self.chair]
        rank, seen = {}, {}
        for org in grown:
            rank[org.pk] = seen.get(org.parent_id, 0)
            seen[org.parent_id] = rank[org.pk] + 1
        self.grown_units = sorted(grown, key=lambda org: (rank[org.pk], org.parent.path))
        self._officers = {}

    def unit_for(self, i, route):
        """Awarded candidates come from the demo's two units (the mix rules);
        the rest are spread over the grown unions ten at a time (each union
        gets every route), else over the demo's units."""
        if route == "awarded":
            return self.awarded_from[i % 2]
        if self.grown_units:
            return self.grown_units[(i // len(ROUTE)) % len(self.grown_units)]
        return self.demo_units[i % len(self.demo_units)]

    def officers(self, sector):
        if sector not in self._officers:
            self._officers[sector] = [
                Membership.objects.filter(organisation=department, role=Role.DEPARTMENT).first().user
                for department in departments_for(self.campaign.district, sector)
            ]
        return self._officers[sector]

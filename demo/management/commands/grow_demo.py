"""Grow the demo to a given size, so the pages and the load benchmark
(bench/web.py) can be tried at scale.

    manage.py grow_demo --orgs 500 --cases 10000

`--orgs N`: the tree grows to N organisations: intermediate unions, each
with its reviewer (规模片区NN总工会, user grow_iNN_review) and ten grassroots
unions (submitter and chair each: grow_gNNN_submit, grow_gNNN_chair), all
with the demo password. Organisations, users and memberships are made in
bulk (one password hash for all): they are set-up data, not decisions.

`--cases N`: the mayday-2024 campaign (the May Day award as campaign
kinds, demo/mayday.py) grows to N cases of the medal (mayday-individual),
each handed in through the kinds' services and taken on by the engine's
decisions (the chair's confirmation, each review level, the departments'
sign-offs, some returned or rejected, some on a public notice and
granted), so every state change, audit entry, task and notification row is
the engine's. Grants are decided as the campaign's mix rules allow; one
they refuse stays awaiting the district's decision.

Runs seed_demo first when the demo is missing. Safe to run twice: what it
made is counted and not made again, so a larger N adds the difference.

Speed: the campaign's clock is frozen once for the whole run (its
submission deadline has passed: without it nothing can be submitted), e-mail
goes to the dummy backend and tasks to the dummy task backend (no
certificate is rendered, no mail sent: those after-commit side effects do
not change what the pages show), and who acts on each case (its
organisations' submitter, chair and reviewer, the departments' officers)
is looked up once, not per case. What remains is the engine's own work,
some two hundred queries a case on average over the routes. `--jobs N` drives
blocks of cases in N processes side by side; the audit chain's lock
serialises most of each decision, so two processes gain about a third,
and now and then PostgreSQL breaks a deadlock between them by rolling one
decision back: that case stays where it got to (reported), the run
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

from awards.kinds import cases as case_services
from awards.kinds.models import KindCampaign, KindCase, KindCaseState as S
from awards.kinds.notices import do_publish_notice
from awards.roles import Role
from workflows.dataforms.identity import id_check_character
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Membership, Organisation, OrgKind, Quota, Sector
from workflows.notices.services import close_notice
from workflows.quotas.services import quotas_of
from workflows.signoffs.services import pending_departments
from workflows.steps.decisions import decide

from demo.accounts import DEMO_PASSWORD
from demo.mayday import INDIVIDUAL, KINDS, UNITS, officers_by_department, version_of

CAMPAIGN = "mayday-2024"
PREFIX = "规模候选人"
# Where the i-th grown case ends (by i % 10): mostly waiting at one
# level or another, as a campaign in full swing looks. Four in ten wait at
# the intermediate unions' reviewers: the load benchmark (bench/web.py)
# decides those, and its capacity run must not run out of them (at 500
# organisations and 10,000 cases, some 90 in each reviewer's inbox).
ROUTE = [S.CONFIRMING, S.RETURNED, S.INTERMEDIATE, S.INTERMEDIATE, S.INTERMEDIATE, S.INTERMEDIATE, S.DISTRICT,
         S.REJECTED, S.GRANTED, S.GRANTED]
UNITS_IN_TURN = ["yiyuan", "xiaoxue", "shuiwu", "jixie", "fangzhi", "gongdian", "jianzhu"]
# Granted in turn: a public institution (no sign-offs) and a non-public
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
    """A well-formed ID number of its own for the i-th grown case
    (seed_demo's own numbers use another serial range)."""
    first17 = f"52{i // 1000:04d}19800101{i % 1000:03d}"
    return first17 + id_check_character(first17)


def grown_reviewer(k):
    return f"grow_i{k:02d}_review"


class Command(BaseCommand):
    help = "Grow the demo to N organisations and N cases (through the services; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many grown cases the campaign holds.")
        parser.add_argument("--orgs", type=int, default=0,
                            help="How many organisations the tree holds (default: as it is).")
        parser.add_argument("--jobs", type=int, default=1,
                            help="Processes driving cases side by side (default 1).")
        parser.add_argument("--i-know-this-is-production", action="store_true", dest="production_ok")

    def handle(self, *args, cases, orgs, jobs, production_ok, **options):
        if not settings.DEVELOPMENT and not production_ok:
            raise CommandError("grow_demo adds demo data: run it with UNIONFLOW_ENV=development "
                               "(or pass --i-know-this-is-production).")
        if not KindCampaign.objects.filter(code=CAMPAIGN).exists():
            call_command("seed_demo", production_ok=production_ok, stdout=self.stdout)
        from freezegun import freeze_time

        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        )
        with quiet, freeze_time(CLOCK_START, tick=True):
            campaign = KindCampaign.objects.get(code=CAMPAIGN)
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
                for org in intermediates for kind in KINDS
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

    # Cases ------------------------------------------------------------------------

    def grow(self, campaign, target, jobs):
        existing = set(KindCase.objects.filter(campaign=campaign, name__startswith=PREFIX)
                       .values_list("name", flat=True))
        todo = [i for i in range(target) if f"{PREFIX}{i:05d}" not in existing]
        if not todo:
            self.stdout.write(f"The campaign already holds {len(existing)} grown cases: nothing to do.")
            return
        # Room for every grown case in the intermediate unions' quotas.
        quotas_of(campaign).filter(parent__isnull=True).exclude(count__gte=target).update(count=target)
        if jobs <= 1:
            self.grow_part(campaign, todo, target)
        else:
            self.grow_in_parallel(campaign, todo, target, jobs)
        self.stdout.write(self.style.SUCCESS(
            f"Campaign {campaign.code}: {campaign.cases.count()} cases in all."
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
                case = self.drive(campaign, i, self.cast.unit_for(i, route), route)
            except OperationalError as exc:
                # Side by side (--jobs), two processes can deadlock on the
                # audit chain's lock: PostgreSQL rolls one decision back; the
                # case stays where it got to and the run goes on.
                failed.append(i)
                self.stderr.write(f"case {i} stopped short: {exc}".splitlines()[0])
                continue
            if route == S.GRANTED:
                awaiting_notice.append(case)
            if len(awaiting_notice) >= NOTICE_BATCH or (done == len(indices) and awaiting_notice):
                try:
                    self.grant(campaign, self.cast.admin, awaiting_notice)
                except OperationalError as exc:
                    failed.extend(n.pk for n in awaiting_notice)
                    self.stderr.write(f"a notice stopped short: {exc}".splitlines()[0])
                awaiting_notice = []
            if done % 100 == 0 or done == len(indices):
                self.stdout.write(f"{done}/{len(indices)} of this run's cases (up to {target})")
        if failed:
            self.stdout.write(f"{len(failed)} cases stopped short of their route.")

    def grow_forked(self, campaign, indices, target):
        """grow_part in a forked process, which leaves its connection closed."""
        try:
            self.grow_part(campaign, indices, target)
        finally:
            connections.close_all()

    def drive(self, campaign, i, org, route):
        """The i-th grown case: a medal's case of `org` handed in and taken
        by each step's decision to `route` (GRANTED: up to its notice)."""
        cast = self.cast
        submitter, chair, reviewer = cast.submitter[org.pk], cast.chair[org.pk], cast.reviewer[org.parent_id]
        version = version_of(campaign, INDIVIDUAL)
        form = cast.form_class(version)({
            "gender": "MF"[i % 2], "ethnicity": "汉族", "birth_date": "1980-01-01", "id_number": grown_id_number(i),
            "political_status": "cpc", "education": "bachelor", "sector": org.sector,
            "work_unit": UNITS.get(org.code, org.name), "post": "技术员", "job_title": "技师",
            "candidate_category": "front_line", "deeds": "扎根一线，勇于创新，技术攻关成绩突出。" * 4,
            "summary": "技术攻关成绩突出。", "congress_discussed_on": "2024-03-08",
            "contact_phone": f"0851-7{i:07d}"[:13],
        })
        if not form.is_valid():
            raise CommandError(f"grown case {i}: {form.errors.as_text()}")
        case = case_services.do_create_case(campaign=campaign, organisation=org, name=f"{PREFIX}{i:05d}", form=form,
                                            actor=submitter, submit=True, version=version)
        if route == S.CONFIRMING:
            return case
        if route == S.RETURNED:
            decide(decision="return", case=case, actor=chair, comment="请补充职代会讨论记录")
            return case
        decide(decision="confirm", case=case, actor=chair, comment="同意推荐")
        if route == S.INTERMEDIATE:
            return case
        if route == S.REJECTED:
            decide(decision="reject", case=case, actor=reviewer, comment="事迹不够突出")
            return case
        decide(decision="forward", case=case, actor=reviewer, comment="同意推荐")
        if route == S.DISTRICT:
            return case
        decide(decision="approve", case=case, actor=cast.district_reviewer, comment="同意上报")
        case.refresh_from_db()
        if case.state == S.SIGNOFFS:
            for department_id in list(pending_departments(case)):
                decide(decision="agree", case=case, actor=cast.officers[department_id], comment="无不良记录")
                case.refresh_from_db()
        return case

    def grant(self, campaign, admin, cases):
        """One public notice for the batch, closed with no objection, then
        the district's decision on each (as the mix rules allow)."""
        notice = do_publish_notice(campaign=campaign, actor=admin, cases=cases, opened_on=datetime.date(2024, 4, 8))
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
        refused = 0
        for case in cases:
            case.refresh_from_db()
            try:
                decide(case=case, actor=admin, decision="outcome_1", comment="予以表彰")
            except (RuleViolation, NotAllowed):
                refused += 1
        self.stdout.write(f"  notice {notice.pk}: {len(cases)} candidates, {len(cases) - refused} granted")


class Cast:
    """Who acts on the grown cases, looked up once: each grassroots
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
        # {department organisation pk: its officer}
        self.officers = officers_by_department()
        self._form_classes = {}

    def form_class(self, version):
        """The version's form class, built once."""
        if version.pk not in self._form_classes:
            self._form_classes[version.pk] = case_services.form_class(version)
        return self._form_classes[version.pk]

    def unit_for(self, i, route):
        """Granted candidates come from the demo's two units (the mix rules);
        the rest are spread over the grown unions ten at a time (each union
        gets every route), else over the demo's units."""
        if route == S.GRANTED:
            return self.awarded_from[i % 2]
        if self.grown_units:
            return self.grown_units[(i // len(ROUTE)) % len(self.grown_units)]
        return self.demo_units[i % len(self.demo_units)]

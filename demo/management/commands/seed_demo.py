"""Demo data: a district, its unions, a user for each role, the sign-off
departments and the May Day award as campaign kinds (demo/mayday.py:
`mayday-2024` with cases in every state, and this year's campaign), then
each other process's demo (demo/cadres.py, demo/congress.py,
demo/modelhome.py, demo/kinds.py: cadres' evaluations, congress reports,
the model workers' home, kinds of campaign set up as data). Safe to run
twice: organisations and users are looked up by code/name, and a
campaign's cases are made only when the campaign is new."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from awards.roles import Role
from workflows.models import Membership, Organisation, OrgKind, Sector

from demo.accounts import DEMO_PASSWORD
from demo.mayday import DEPARTMENTS, seed_mayday

ORGS = [
    # code, name, kind, parent code, sector
    ("district", "示范区总工会", OrgKind.DISTRICT, None, ""),
    ("chengguan", "城关镇总工会", OrgKind.INTERMEDIATE, "district", ""),
    ("quzhi", "区直机关工会工作委员会", OrgKind.INTERMEDIATE, "district", ""),
    ("jixie", "城关机械制造有限公司工会", OrgKind.GRASSROOTS, "chengguan", Sector.NON_PUBLIC),
    ("fangzhi", "城关纺织集团工会", OrgKind.GRASSROOTS, "chengguan", Sector.STATE_OWNED),
    ("gongdian", "城关供电所工会", OrgKind.GRASSROOTS, "chengguan", Sector.STATE_OWNED),
    ("jianzhu", "城关建筑工程公司工会", OrgKind.GRASSROOTS, "chengguan", Sector.COLLECTIVE),
    ("yiyuan", "区人民医院工会", OrgKind.GRASSROOTS, "quzhi", Sector.INSTITUTION),
    ("xiaoxue", "区实验小学工会", OrgKind.GRASSROOTS, "quzhi", Sector.INSTITUTION),
    ("shuiwu", "区自来水有限公司工会", OrgKind.GRASSROOTS, "quzhi", Sector.STATE_OWNED),
    ("jixie-cj1", "机械公司一车间分工会", OrgKind.SUB_UNION, "jixie", Sector.NON_PUBLIC),
]

# Full names are people's names: the pages show the organisation and the
# role beside them ("城关镇总工会 · 审核人").
USERS = [
    # username, full name, [(org code, role)]
    ("qz_admin", "王建国", [("district", Role.DISTRICT_ADMIN)]),
    ("qz_review", "李红梅", [("district", Role.REVIEWER)]),
    ("cg_review", "赵志强", [("chengguan", Role.REVIEWER)]),
    ("qzjg_review", "陈静", [("quzhi", Role.REVIEWER)]),
]
for code, submitter, chair in [("jixie", "刘晓燕", "张国栋"), ("fangzhi", "陈晓雯", "王德明"), ("gongdian", "周敏", "李振华"),
                               ("jianzhu", "何丽", "孙建军"), ("yiyuan", "杨帆", "郑秀英"), ("xiaoxue", "许文静", "马立新"),
                               ("shuiwu", "唐佳", "韩志刚")]:
    USERS.append((f"{code}_submit", submitter, [(code, Role.SUBMITTER)]))
    USERS.append((f"{code}_chair", chair, [(code, Role.CHAIR)]))


class Command(BaseCommand):
    help = "Load the demo organisations, users, the mayday-2024 campaign and every process's demo (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-production",
            action="store_true",
            dest="production_ok",
            help="Seed even though the settings are a production configuration (demo users with a known password).",
        )

    def handle(self, *args, **options):
        # Demo accounts share a published password: never on a real
        # installation by accident (config.settings.DEVELOPMENT is explicit).
        if not settings.DEVELOPMENT and not options["production_ok"]:
            raise CommandError(
                "This is a production configuration (UNIONFLOW_ENV is not 'development' and DEBUG is off): "
                "seed_demo would create demo accounts with a published password. Run it through `make demo`, "
                "set UNIONFLOW_ENV=development, or pass --i-know-this-is-production."
            )
        # The demo's story is not news: keep its notification mails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.seed()

    def seed(self):
        with transaction.atomic():
            orgs = self.make_orgs()
            users = self.make_users(orgs)
        # The May Day award, run as campaign kinds.
        for campaign in seed_mayday(orgs, users, stdout=self.stdout):
            self.stdout.write(self.style.SUCCESS(f"Demo ready: campaign {campaign.code}, "
                                                 f"{campaign.cases.count()} cases."))
        self.stdout.write("Department officers (password as above): "
                          + ", ".join(f"dept_{f}" for f, *_ in DEPARTMENTS))
        # Democratic evaluations of cadres (evaluations.cadres).
        from demo.cadres import seed_cadre_evaluations

        seed_cadre_evaluations(users, stdout=self.stdout)
        from demo.congress import seed_congress_demo

        reports = seed_congress_demo(orgs, users)
        self.stdout.write(self.style.SUCCESS(f"Congress reports: {reports} reports of 2024 (/reports/, /coverage/)."))
        from demo.modelhome import seed_model_home

        model_home = seed_model_home()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: campaign {model_home.code}, "
                                             f"{model_home.applications.count()} applications."))
        self.stdout.write("Model workers' home: inspectors qz_inspect1, qz_inspect2, qz_inspect3; "
                          "sub-union submitters such as jixie_cj1_submit.")
        # Kinds of campaign set up as data (awards.kinds).
        from demo.kinds import seed_kinds

        for campaign in seed_kinds(orgs, users):
            self.stdout.write(self.style.SUCCESS(f"Demo ready: {campaign.title}, {campaign.cases.count()} cases."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, full_name, pairs in USERS:
            self.stdout.write(f"  {username:<16} {full_name}")

    def make_orgs(self):
        orgs = {}
        for code, name, kind, parent, sector in ORGS:
            org, _ = Organisation.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "parent": orgs.get(parent), "sector": sector}
            )
            orgs[code] = org
        return orgs

    def make_users(self, orgs):
        User = get_user_model()
        users = {}
        for username, full_name, pairs in USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.email = f"{username}@demo.unionflow.local"
                user.save()
            for code, role in pairs:
                Membership.objects.get_or_create(user=user, organisation=orgs[code], role=role)
            users[username] = user
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "系统管理员"}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        return users

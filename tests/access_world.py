"""The world the access matrix walks: the seeded demo (every persona of it)
plus what the demo lacks — attachments, a print job, delegations, an
outsider — and a second district with one object of each process, so that
the district's own people also have "another branch" to be refused. Each
process picks or makes its own objects (`world_objects(world)` of its
tests' access_entries.py, tests/access_registry.py); the engine's are
made here.

Branch A is 城关镇 / 机械公司 (jixie), branch B is 区直机关 / 区人民医院
(yiyuan), X is the other district's grassroots union. The `world` fixture
builds it once per test module, in a transaction rolled back at its end."""

import datetime
import io

import pytest

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

# Imported before the demo is seeded: openpyxl keys its date formats by the
# date classes it sees at import, and seed_demo runs under freezegun, whose
# stand-in classes would then be the keys (every real date refused).
import openpyxl  # noqa: F401,E402

from tests.access_registry import modules, table
from tests.conftest import PDF_BYTES, make_org, make_user
from workflows.models import Delegation, Membership, Notification, OrgKind, Organisation, PrintJob, Sector

User = get_user_model()

# One demo account per role and level (the same role at a sibling union or
# the other intermediate union adds the other direction of each refusal).
DEMO_PERSONAS = [
    "qz_admin", "qz_review", "qz_inspect1", "dept_tax", "cg_review", "qzjg_review",
    "jixie_submit", "jixie_chair", "fangzhi_submit", "jixie_cj1_submit", "yiyuan_submit", "yiyuan_chair",
]
PERSONAS = DEMO_PERSONAS + ["outsider", "anonymous"]

# Who ends any delegation of the district, besides its principal.
DISTRICT_ADMINS = {"qz_admin"}
# Roles whose holders act for the whole district, whatever their own
# organisation (a department officer signs off cases of every branch).
DISTRICT_WIDE = {"qz_admin", "qz_review", "qz_inspect1", "dept_tax"}


class World:
    """users: username → user; org: code → Organisation; obj: (kind, slot) → object."""

    def __init__(self):
        self.users, self.org, self.obj = {}, {}, {}

    def scope(self, username):
        """The organisations whose subtree the persona may see (empty for
        the outsider and the public)."""
        if username in DISTRICT_WIDE:
            return [self.org["district"]]
        return [m.organisation for m in Membership.objects.filter(user=self.users[username]).select_related(
            "organisation")]


@pytest.fixture(scope="module")
def _isolated_storage(tmp_path_factory):
    """Replaces the per-test storage of tests/conftest.py: the world's files
    are written once for the module and read by every request."""
    root = tmp_path_factory.mktemp("matrix")
    with override_settings(
        PRIVATE_STORAGE_ROOT=root / "private", MEDIA_ROOT=root / "media", DEVELOPMENT=True,
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", LANGUAGE_CODE="zh-hans",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], SECURE_SSL_REDIRECT=False,
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        # The matrix asks thousands of questions from one address.
        UNIONFLOW_VERIFY_RATE=10**6, UNIONFLOW_OBJECTION_RATE=10**6, UNIONFLOW_VOTE_FAILURES=10**6,
        UNIONFLOW_API_RATE=10**6,
        # Object access is the question, not the second factor's gate (as in
        # tests/conftest.py).
        UNIONFLOW_SECOND_FACTOR=False, UNIONFLOW_IDLE_TIMEOUT_SECONDS=0, UNIONFLOW_SESSION_MAX_SECONDS=0,
    ):
        yield


@pytest.fixture(scope="module")
def world(_isolated_storage, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


def build_world():
    world = World()
    call_command("seed_demo", stdout=io.StringIO())
    world.org = {o.code: o for o in Organisation.objects.all()}
    world.users = {u.username: u for u in User.objects.all()}
    world.users["outsider"] = make_user("outsider")
    _other_district(world)
    # Each process's objects of each branch, declared beside its tests
    # (`world_objects(world)` of its access_entries.py).
    for module in modules():
        if hasattr(module, "world_objects"):
            module.world_objects(world)
    _engine_objects(world)
    return world


def _other_district(world):
    """A second district, its intermediate union and a grassroots union of
    it, with a submitter, a chair, a reviewer and an administrator; each
    process makes its cases there through its services."""
    d2 = make_org("另一区总工会", "other-district", OrgKind.DISTRICT)
    town2 = make_org("另一镇工会", "other-town", OrgKind.INTERMEDIATE, d2)
    union2 = make_org("另一区医院工会", "other-union", OrgKind.GRASSROOTS, town2, Sector.INSTITUTION)
    for org in (d2, town2, union2):
        world.org[org.code] = org
    admin2 = make_user("other_admin", (d2, "district_admin"))
    submit2 = make_user("other_submit", (union2, "submitter"))
    make_user("other_chair", (union2, "chair"))
    review2 = make_user("other_review", (town2, "reviewer"))
    world.users.update(other_admin=admin2, other_submit=submit2, other_review=review2)


def _print_job(organisation, user):
    """A finished print job with its PDF."""
    from workflows.documents.rendering import store_document

    job = PrintJob.objects.create(title="打印", organisation=organisation, series="matrix", created_by=user,
                                  status="done")
    job.document = store_document(kind="print_job", title="打印", filename="print.pdf", data=PDF_BYTES, subject=job)
    job.save(update_fields=["document"])
    return job


def _certificate(subject, owner, series):
    from workflows.models import Certificate

    return Certificate.objects.create(
        series=series, sequence=1, number=f"{series}-0001", holder_name="张三", award_title="五一劳动奖章",
        issuer="另一区总工会", issued_on=datetime.date(2024, 4, 30), owner_organisation=owner,
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk,
    )


def _engine_objects(world):
    """The engine's objects of each branch: certificates, print jobs,
    notifications, the attachments of each process's case, delegations and
    cut-off bulk runs, the live notice (public, the district's), open
    steps, accounts, organisations' facts, API tokens and webhooks."""
    from viewflow.workflow.models import Task
    from workflows.models import Certificate, NoticeStatus, Objection, PublicNotice
    from workflows.models.bulk_runs import BulkRun
    from workflows.steps.tasks import OPEN_TASK_STATUSES, acting_pair

    district, u = world.org["district"], world.users
    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        org, submitter = world.org[code], u[f"{code}_submit"]
        world.obj["certificate", slot] = Certificate.objects.filter(owner_organisation=org).order_by("pk").first()
        world.obj["print_job", slot] = _print_job(district, u["qz_admin"])
        _attachments(world, slot, submitter)
        world.obj["notification", slot] = Notification.objects.filter(user=submitter).first() or \
            Notification.objects.create(user=submitter, event="test", title="通知", url="/")
    submit2 = u["other_submit"]
    world.obj["print_job", "X"] = _print_job(world.org["other-district"], u["other_admin"])
    _attachments(world, "X", submit2)
    world.obj["notification", "X"] = Notification.objects.create(user=submit2, event="test", title="另一区的通知",
                                                                 url="/")
    today = timezone.localdate()
    for slot, principal, substitute in (("A", "cg_review", "qz_review"), ("B", "qzjg_review", "qz_review"),
                                        ("X", "other_review", "other_admin")):
        world.obj["delegation", slot] = Delegation.objects.create(
            principal=u[principal], substitute=u[substitute], starts_on=today, ends_on=today,
            created_by=u[principal])
        # A bulk decision of the principal's that was cut off (its inbox offers to dismiss the account).
        world.obj["bulk_run", slot] = BulkRun.objects.create(actor=u[principal], process="kind_case", decision="forward")

    notice = PublicNotice.objects.filter(status=NoticeStatus.OPEN).order_by("pk").first()
    world.obj["notice", "A"] = notice
    world.obj["notice_entry", "A"] = notice.entries.order_by("pk").first()
    world.obj["objection", "A"] = Objection.objects.order_by("pk").first()
    tasks = Task.objects.filter(status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN").order_by("pk")
    for slot, branch in (("A", "chengguan"), ("B", "quzhi"), ("X", "other-town")):
        within = world.org[branch]
        world.obj["task", slot] = next(
            t for t in tasks if Organisation.objects.get(pk=acting_pair(t)[1]).is_within(within))
    for slot, code in (("A", "jixie"), ("B", "yiyuan"), ("X", "other-union")):
        world.obj["facts_org", slot] = world.org[code]
    for slot, username in (("A", "jixie_submit"), ("B", "yiyuan_submit"), ("X", "other_submit")):
        world.obj["account", slot] = world.users[username]
    # The API's settings: an account's token; a district's webhook.
    from workflows.api.tokens import do_create_api_token
    from workflows.models import Webhook

    for slot, username in (("A", "jixie_submit"), ("B", "yiyuan_submit"), ("X", "other_submit")):
        user = world.users[username]
        world.obj["api_token", slot] = do_create_api_token(account=user, name=f"matrix-{slot}", scope="read",
                                                           acting_user=user)[0]
    for slot, district, admin in (("A", "district", "qz_admin"), ("X", "other-district", "other_admin")):
        world.obj["webhook", slot] = Webhook.objects.create(
            district=world.org[district], url="https://portal.example.org/hook", events=["case.decided"],
            created_by=world.users[admin])


def _attachments(world, slot, uploader):
    """One stored attachment on the slot's case of each process that has
    attachments (`CASE_ATTACHMENTS` of the access entries: the engine's
    model), with an old id as the migration from a process's own table
    leaves it, for the old download addresses."""
    from workflows.models import Attachment

    t = table()
    for key, kind in sorted(t.case_attachments.items()):
        attachment = Attachment(case=world.obj[t.cases[key], slot], uploaded_by=uploader, original_name="附件.pdf",
                                content_type="application/pdf", size=len(PDF_BYTES))
        attachment.file.save("附件.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        attachment.legacy_id = 7000 + attachment.pk
        attachment.save(update_fields=["legacy_id"])
        world.obj[kind, slot] = attachment

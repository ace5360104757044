"""The world the access matrix walks: the seeded demo (every persona of it)
plus what the demo lacks — attachments, a print job, delegations, an
outsider — and a second district with one object of each process, so that
the district's own people also have "another branch" to be refused.

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

from tests.conftest import INDIVIDUAL, PDF_BYTES, make_org, make_user, valid_id_number
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
    _demo_objects(world)
    return world


def _campaign_kind(district, admin):
    """The district's kind of campaign (one per district, made once)."""
    from awards.kinds.models import CampaignKind
    from awards.kinds.samples import OUTSTANDING_UNION_WORKER
    from awards.kinds.services import do_create_kind

    kind = CampaignKind.objects.filter(district=district).first()
    if kind is None:
        kind = do_create_kind(district=district, code="youxiu", definition=OUTSTANDING_UNION_WORKER, actor=admin).kind
    return kind


def _other_district(world):
    """A second district with one case of each process, built through the services."""
    from awards.mayday.models import AwardKind, Campaign, Nomination, Quota
    from awards.mayday.services import nomination_save_draft, nomination_submit

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

    campaign = Campaign.objects.create(
        code="other-mayday", year=2024, title="另一区五一劳动奖评选", district=d2,
        submission_deadline=timezone.now() + datetime.timedelta(days=30),
        certificate_number_format="另工奖〔{year}〕第{seq:04d}号",
    )
    for kind in AwardKind.values:
        Quota.objects.create(campaign=campaign, organisation=town2, kind=kind, count=3)
    nomination = Nomination(campaign=campaign, organisation=union2,
                            **{**INDIVIDUAL, "sector": "institution", "id_number": valid_id_number()})
    nomination_save_draft(nomination=nomination, actor=submit2)
    nomination_submit(nomination=nomination, actor=submit2)
    world.obj["mayday_campaign", "X"] = campaign
    world.obj["nomination", "X"] = nomination
    world.obj["certificate", "X"] = _certificate(nomination, union2, "other-2024")

    world.obj["evaluation", "X"] = _evaluation(union2, submit2, "other-pingyi")

    from evaluations.congress.models import Report, ReportKind
    from evaluations.congress.periods import do_open_period

    do_open_period(kind=ReportKind.objects.get(code="entertainment-expenses"), year=2024, half=1,
                   sectors=[Sector.INSTITUTION], district=d2, actor=admin2)
    world.obj["report", "X"] = Report.objects.get(organisation=union2)

    from awards.modelhome.demo_standard import DEMO_STANDARD
    from awards.modelhome.models import Campaign as HomeCampaign
    from workflows.scoring.standards import standard_create
    from tests.awards.modelhome.conftest import full_answers
    from awards.modelhome import services as home

    version = standard_create(district=d2, code="other-standard", name="另一区建家标准", data=DEMO_STANDARD,
                              actor=admin2)
    home_campaign = HomeCampaign.objects.create(code="other-model-home", year=2024, title="另一区模范职工之家评选",
                                                district=d2, standard_version=version)
    from awards.modelhome.models import Application

    application = Application(campaign=home_campaign, organisation=union2, chair_name="李主席", staff_count=100,
                              member_count=98, satisfaction_surveyed=50, satisfaction_satisfied=49, deeds="建家。")
    home.application_save(application=application, actor=submit2, answers=full_answers(home_campaign), submit=True)
    world.obj["application", "X"] = application
    world.obj["home_campaign", "X"] = home_campaign
    world.obj["standard", "X"] = version  # the pages of a standard name one of its versions
    world.obj["campaign_kind", "X"] = _campaign_kind(d2, admin2)
    world.obj["print_job", "X"] = _print_job(d2, admin2)
    _attachments(world, "X", submit2)
    world.obj["notification", "X"] = Notification.objects.create(user=submit2, event="test", title="另一区的通知",
                                                                 url="/")


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


def _demo_objects(world):
    """Objects of branches A and B picked from the demo (and the few it lacks)."""
    from workflows.models.bulk_runs import BulkRun
    from awards.mayday.models import Campaign, Nomination
    from awards.modelhome.models import Application, Campaign as HomeCampaign, Title
    from workflows.models import Standard
    from evaluations.cadres.models import Evaluation
    from evaluations.congress.models import Report
    from workflows.models import Certificate

    district, u = world.org["district"], world.users
    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        org = world.org[code]
        nominations = Nomination.objects.filter(organisation=org).order_by("pk")
        world.obj["nomination", slot] = nominations.filter(state="awarded").first()
        world.obj["certificate", slot] = Certificate.objects.filter(owner_organisation=org).order_by("pk").first()
        world.obj["application", slot] = Application.objects.filter(organisation=org).order_by("pk").first()
        reports = Report.objects.filter(organisation=org).order_by("pk")  # one awaiting review, if any
        world.obj["report", slot] = reports.filter(state="submitted").first() or reports.first()
        evaluation = Evaluation.objects.filter(organisation=org).order_by("pk").first()
        world.obj["evaluation", slot] = evaluation or _evaluation(org, u[f"{code}_submit"], f"matrix-{code}")
        world.obj["title", slot] = Title.objects.filter(holder=org).order_by("pk").first()
        world.obj["mayday_campaign", slot] = Campaign.objects.order_by("-year").first()
        world.obj["home_campaign", slot] = HomeCampaign.objects.order_by("-year").first()
        world.obj["standard", slot] = Standard.objects.get(district=district).versions.order_by("pk").first()
        world.obj["print_job", slot] = _print_job(district, u["qz_admin"])
        world.obj["campaign_kind", slot] = _campaign_kind(district, u["qz_admin"])
        _attachments(world, slot, u[f"{code}_submit"])
        submitter = u[f"{code}_submit"]
        world.obj["notification", slot] = Notification.objects.filter(user=submitter).first() or \
            Notification.objects.create(user=submitter, event="test", title="通知", url="/")
    _engine_objects(world)
    today = timezone.localdate()
    for slot, principal, substitute in (("A", "cg_review", "qz_review"), ("B", "qzjg_review", "qz_review"),
                                        ("X", "other_review", "other_admin")):
        world.obj["delegation", slot] = Delegation.objects.create(
            principal=u[principal], substitute=u[substitute], starts_on=today, ends_on=today,
            created_by=u[principal])
        # A bulk decision of the principal's that was cut off (its inbox offers to dismiss the account).
        world.obj["bulk_run", slot] = BulkRun.objects.create(actor=u[principal], process="mayday", decision="approve")


def _engine_objects(world):
    """The live notice (public, the district's), open steps, accounts and
    organisations' facts of each branch."""
    from viewflow.workflow.models import Task
    from workflows.models import NoticeStatus, Objection, PublicNotice
    from workflows.steps.tasks import OPEN_TASK_STATUSES, acting_pair

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


def _evaluation(org, submitter, code):
    """A draft evaluation of `org`, with the submitter and a teller as its tellers."""
    from evaluations.cadres.models import Evaluation
    from evaluations.cadres.services import do_create_evaluation

    now = timezone.now()
    evaluation = Evaluation(
        code=code, organisation=org, year=2024, title="民主评议", entitled_count=20,
        meeting_date=datetime.date(2024, 12, 20), voting_opens_at=now,
        voting_closes_at=now + datetime.timedelta(hours=2),
    )
    teller = make_user(f"teller_{org.code}", (org, "submitter"))
    do_create_evaluation(evaluation=evaluation, cadres=[("张伟", "总经理")], tellers=[submitter, teller],
                         actor=submitter)
    return evaluation


def _attachments(world, slot, uploader):
    """One stored attachment on the slot's nomination, application and
    report (the engine's model), with an old id as the migration from a
    process's own table leaves it, for the old download addresses."""
    from workflows.models import Attachment

    for kind in ("nomination", "application", "report"):
        attachment = Attachment(case=world.obj[kind, slot], uploaded_by=uploader, original_name="附件.pdf",
                                content_type="application/pdf", size=len(PDF_BYTES))
        attachment.file.save("附件.pdf", ContentFile(PDF_BYTES), save=False)
        attachment.save()
        attachment.legacy_id = 7000 + attachment.pk
        attachment.save(update_fields=["legacy_id"])
        world.obj[f"{kind}_attachment", slot] = attachment

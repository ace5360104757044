"""Every case of every process whole: its state agrees with its last audit
entry, its open tasks with its state (as its declaration says), and what
its process checks of it (the declaration's `integrity` hook: e.g. nothing
counted twice); every valid certificate has its document with the
right hash; the audit chain holds; no print job or background task is left
running without a worker (workflows.documents.stuck_work); the audit log is
kept as long as 等保 asks (workflows.security.retention). Prints each
violation and their number; exit 1 if any."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db.models import OuterRef, Subquery

from workflows.audit import verify_chain
from workflows.documents.recovery import certificates_without_document
from workflows.documents.rendering import file_sha256
from workflows.documents.stuck_work import outbox_problems, print_job_problems, task_problems
from workflows.models import AuditEntry, Certificate, CertificateStatus
from workflows.security.retention import retention_problems
from workflows.steps.integrity import task_state_problems
from workflows.steps.registry import processes


def state_audit_problems(model):
    """Cases whose state is not the `to_state` of their last audit entry
    that changed it."""
    ct = ContentType.objects.get_for_model(model)
    last = (
        AuditEntry.objects.filter(content_type=ct, object_id=OuterRef("pk")).exclude(to_state="")
        .order_by("-created", "-pk").values("to_state")[:1]
    )
    problems = []
    for pk, state, logged in model.objects.annotate(logged=Subquery(last)).values_list("pk", "state", "logged"):
        if logged is not None and logged != state:
            problems.append(f"{model.__name__} #{pk}: state {state!r}, last audit entry says {logged!r}")
    return problems


def certificate_problems():
    problems = certificates_without_document()
    for certificate in Certificate.objects.filter(
        status=CertificateStatus.VALID, document__isnull=False
    ).select_related("document"):
        if file_sha256(certificate.document) != certificate.document.sha256:
            problems.append(f"certificate {certificate.number}: its file is missing or changed")
    return problems


class Command(BaseCommand):
    help = "Check every case of every process, the certificates and the audit chain; exit 1 on any violation."

    def add_arguments(self, parser):
        parser.add_argument("--no-documents", action="store_true", help="skip the certificates' files")
        parser.add_argument(
            "--stale-after", type=int, default=None, metavar="SECONDS",
            help="a print job or task running with no sign of life for this long has lost its worker "
                 "(default: the chunk timeout and a minute; 0 when no worker runs)",
        )

    def handle(self, *args, no_documents=False, stale_after=None, **options):
        if stale_after is None:
            stale_after = settings.UNIONFLOW_PRINT_CHUNK_TIMEOUT + 60
        problems, cases = [], 0
        for process in processes():
            model = process.get_model()
            problems += state_audit_problems(model)
            for case in model.objects.order_by("pk").iterator(chunk_size=500):
                cases += 1
                problems += task_state_problems(case)
                if process.integrity is not None:
                    problems += process.integrity(case)
        if not no_documents:
            problems += certificate_problems()
        problems += print_job_problems(stale_after) + outbox_problems(stale_after) + task_problems(stale_after)
        checked, broken = verify_chain()
        if broken is not None:
            entry, reason = broken
            problems.append(f"audit entry #{entry.pk}: {reason}")
        problems += retention_problems(broken=broken)
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"{cases} cases of {len(processes())} processes, {checked} audit entries: "
                          f"{len(problems)} violations.")
        if problems:
            raise CommandError(f"{len(problems)} violations.", returncode=1)

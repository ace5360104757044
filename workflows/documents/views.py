"""Certificates and print jobs: the public verification page, the lists and pages of
certificates (revocation, previews of the layouts) and batch print jobs."""

import io
import time
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from workflows.documents import services
from workflows.organisations.access import memberships, visible_organisations_q
from workflows.organisations.administration import administered_district, administered_district_ids, is_district_admin
from workflows.audit import action_label, history_of
from workflows.documents.forms import RevokeForm
from workflows.documents.revoked_copies import revoked_copy
from workflows.documents.verification_codes import normalise as normalise_code
from workflows.documents.layouts import certificate_layouts, is_layout
from workflows.documents import pdf_cache
from workflows.documents.series import series_titles
from workflows.documents.rendering import issue_certificate_document, preview_certificate_html, verification_url
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import Certificate, CertificateStatus, PrintJob, PrintJobStatus



def verify_certificate(request, token):
    """The public check of a certificate: who, what, by whom, when, and
    whether it still stands. Nothing else about the holder; a wrong token is
    a plain 404 that does not say whether it ever existed."""
    if _verify_rate_exceeded(request):
        return _verify_too_many(request)
    certificate = Certificate.objects.filter(token=token).first()
    if certificate is None:
        raise Http404()
    response = render(request, "workflows/verify.html", {"certificate": certificate})
    _no_index(response)
    return response


def _verify_rate_exceeded(request):
    """A fixed one-minute window per client IP in the cache: enough to make
    guessing tokens hopeless without bothering a person checking a few."""
    limit = getattr(settings, "UNIONFLOW_VERIFY_RATE", 30)
    key = f"unionflow:verify:{client_ip(request) or 'unknown'}:{int(time.time() // 60)}"
    cache.add(key, 0, 120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 120)
        count = 1
    return count > limit


def _verify_too_many(request):
    response = render(request, "workflows/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def _no_index(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"


def verify_lookup(request):
    """Verification by the short code printed under the QR code."""
    code = (request.GET.get("code") or "").strip()
    error = ""
    if code:
        if _verify_rate_exceeded(request):
            return _verify_too_many(request)
        certificate = _certificate_by_code(code)
        if certificate is not None:
            return redirect("verify_certificate", token=certificate.token)
        error = _("No certificate matches this code. Check the code printed under the QR code.")
    response = render(request, "workflows/verify_lookup.html", {"code": code, "error": error})
    _no_index(response)
    return response


def _certificate_by_code(typed):
    """The certificate whose printed code is `typed`: a Crockford code read
    leniently (case, dash, O/I/L), else, for certificates printed before
    those codes, the exact start of the token (8 characters or more, and
    only when it names one certificate)."""
    code = normalise_code(typed)
    if code:
        found = Certificate.objects.filter(code=code).first()
        if found is not None:
            return found
    if len(typed) >= 8:
        matches = list(Certificate.objects.filter(code__isnull=True, token__startswith=typed)[:2])
        if len(matches) == 1:
            return matches[0]
    return None

def certificates_visible_to(user):
    """Certificates of the user's organisations and, for branch roles, of
    the branch below."""
    return Certificate.objects.filter(visible_organisations_q(user, "owner_organisation")).select_related(
        "owner_organisation", "document"
    )


def get_certificate_for(user, pk):
    return get_object_or_404(certificates_visible_to(user), pk=pk)


def _may_take_copy(user, certificate):
    """The recipient's organisation and its district federation may download
    a certificate; the branch in between sees it but takes no copy."""
    district_id = certificate.owner_organisation.ancestor_ids[0]
    return any(m.organisation_id in (certificate.owner_organisation_id, district_id) for m in memberships(user))


CERTIFICATE_SORTS = {"number": ("series", "sequence"), "-created": ("-created", "-pk"), "holder": ("holder_name", "pk")}


@login_required
def certificate_list(request):
    qs = certificates_visible_to(request.user)
    series = request.GET.get("series", "")
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()
    if series:
        qs = qs.filter(series=series)
    if status in CertificateStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(holder_name__icontains=q) | Q(number__icontains=q) | Q(owner_organisation__name__icontains=q))
    qs = qs.order_by(*CERTIFICATE_SORTS["number"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    series_choices = series_titles(
        certificates_visible_to(request.user).order_by("series").values_list("series", flat=True).distinct())
    return render(
        request,
        "workflows/certificate_list.html",
        {
            "page_obj": page,
            "query_string": params.urlencode(),
            # Campaign titles, not codes (workflows.documents.series).
            "series_choices": series_choices,
            "series_title": dict(series_choices).get(series, series),
            "status_choices": CertificateStatus.choices,
            "series": series,
            "status": status,
            "q": q,
            "may_print": is_district_admin(request.user),
        },
    )


def _reissue_url(certificate):
    """An app that can reissue its certificates names a URL
    `<app_label>:certificate_reissue` taking the certificate's pk."""
    try:
        return reverse(f"{certificate.content_type.app_label}:certificate_reissue", args=[certificate.pk])
    except NoReverseMatch:
        return ""


@login_required
def certificate_detail(request, pk):
    certificate = get_certificate_for(request.user, pk)
    subject = certificate.subject
    history = [
        entry for entry in (history_of(subject) if subject is not None else [])
        if entry.data.get("certificate_id") == certificate.pk or entry.data.get("certificate") == certificate.number
    ]
    may_admin = administered_district(request.user, certificate.owner_organisation) is not None
    has_successor = (
        certificate.is_revoked
        and Certificate.objects.filter(
            content_type_id=certificate.content_type_id, object_id=certificate.object_id, status=CertificateStatus.VALID
        ).exists()
    )
    return render(
        request,
        "workflows/certificate_detail.html",
        {
            "certificate": certificate,
            "subject": subject,
            "history": history,
            "verify_url": verification_url(certificate),
            "may_download": _may_take_copy(request.user, certificate),
            "may_revoke": may_admin and not certificate.is_revoked,
            "reissue_url": _reissue_url(certificate) if may_admin and certificate.is_revoked and not has_successor else "",
        },
    )


@login_required
def certificate_pdf(request, pk):
    certificate = get_certificate_for(request.user, pk)
    if not _may_take_copy(request.user, certificate):
        raise NotAllowed(_("Only the recipient's union and the district federation may download the certificate."))
    document = certificate.document or issue_certificate_document(certificate.pk)
    if certificate.is_revoked:
        # Never the valid-looking original: a copy marked 已撤销 with the date.
        with document.file.open("rb") as f:
            marked = revoked_copy(certificate, f.read())
        return FileResponse(io.BytesIO(marked), content_type="application/pdf", filename=f"{certificate.number}-已撤销.pdf")
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{certificate.number}.pdf")


@login_required
def certificate_revoke(request, pk):
    certificate = get_certificate_for(request.user, pk)
    if administered_district(request.user, certificate.owner_organisation) is None:
        raise NotAllowed(_("Only the district administrator can revoke a certificate."))
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"], ip=client_ip(request)
            )
        except RuleViolation as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, _("The certificate %(number)s is revoked.") % {"number": certificate.number})
            return redirect("certificate_detail", pk=certificate.pk)
    return render(request, "workflows/certificate_revoke.html", {"certificate": certificate, "form": form})


def _require_district_admin(user):
    if not is_district_admin(user):
        raise NotAllowed(_("Only the district administrator can do this."))


@login_required
def certificate_preview(request):
    _require_district_admin(request.user)
    layouts = [(layout.key, layout.label) for layout in certificate_layouts()]
    return render(request, "workflows/certificate_preview.html", {"layouts": layouts})


@login_required
def certificate_preview_pdf(request, layout):
    _require_district_admin(request.user)
    if not is_layout(layout):
        raise Http404()
    return pdf_cache.pdf_response(request, preview_certificate_html(layout), f"preview-{layout}.pdf")


def print_jobs_visible_to(user):
    """Jobs of the districts the user administers."""
    return PrintJob.objects.filter(organisation_id__in=administered_district_ids(user)).select_related("created_by", "document")


@login_required
def print_job_list(request):
    _require_district_admin(request.user)
    qs = print_jobs_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in PrintJobStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/print_job_list.html",
        {"page_obj": page, "status": status, "status_choices": PrintJobStatus.choices,
         "query_string": f"status={status}" if status else ""},
    )


@login_required
@require_POST
def print_job_create(request):
    """From the certificate list: the ticked certificates (`ids`) or a whole
    series (`series`, its valid certificates)."""
    _require_district_admin(request.user)
    visible = certificates_visible_to(request.user)
    series = request.POST.get("series", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isascii() and i.isdigit()]
    if series:
        # No series holds a NUL, and PostgreSQL refuses one in a query.
        chosen = visible.none() if "\x00" in series else visible.filter(series=series, status=CertificateStatus.VALID)
        title = _("Certificates of %(series)s") % {"series": series}
    else:
        chosen = visible.filter(pk__in=ids)
        if len(ids) != chosen.count():
            raise Http404()
        title = _("%(count)d chosen certificates") % {"count": len(ids)}
    first = chosen.first()
    if first is None:
        messages.error(request, _("Choose at least one certificate to print."))
        return redirect("certificate_list")
    district = administered_district(request.user, first.owner_organisation)
    if district is None:
        raise NotAllowed(_("Only the district administrator can print certificates in bulk."))
    try:
        job = services.print_job_create(
            actor=request.user, certificates=chosen, organisation=district, title=title, series=series,
            ip=client_ip(request),
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect("certificate_list")
    return redirect("print_job_detail", pk=job.pk)


def _print_job_problem(job):
    """What the page says went wrong with `job` (translated), or ""."""
    if job.status == PrintJobStatus.FAILED:
        return services.failure_message(job.failure)
    if services.print_job_is_stalled(job):
        return services.failure_message(services.FAILURE_WORKER_STOPPED)
    return ""


def _print_job_history(job):
    return [
        {
            "entry": entry,
            "action": action_label(entry.action),
            # A failure's reason as a message, never the stored technical text.
            "reason": services.failure_message(entry.data["reason"]) if entry.data.get("reason") else "",
        }
        for entry in history_of(job)
    ]


def _print_job_notice(job):
    """Said while a job whose worker stopped is printed again by itself."""
    if job.is_active and job.failure == services.FAILURE_WORKER_STOPPED:
        return _(
            "The worker printing this job stopped; it is being printed again by itself "
            "(attempt %(attempt)d of %(max)d)."
        ) % {"attempt": job.attempts + (job.status == PrintJobStatus.PENDING), "max": services.max_print_attempts()}
    return ""


@login_required
def print_job_detail(request, pk):
    job = get_object_or_404(print_jobs_visible_to(request.user), pk=pk)
    problem = _print_job_problem(job)
    return render(
        request,
        "workflows/print_job_detail.html",
        {
            "job": job,
            "history": _print_job_history(job),
            "problem": problem,
            "may_retry": bool(problem) and administered_district(request.user, job.organisation) is not None,
            "stalled": job.status == PrintJobStatus.RUNNING and bool(problem),
            "notice": _print_job_notice(job),
        },
    )


@login_required
def print_job_status(request, pk):
    job = get_object_or_404(print_jobs_visible_to(request.user), pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "error": str(_print_job_problem(job)),
            "notice": str(_print_job_notice(job)),
            "pdf": reverse("print_job_pdf", args=[job.pk]) if job.document_id else None,
        }
    )


@login_required
def print_job_pdf(request, pk):
    job = get_object_or_404(print_jobs_visible_to(request.user), pk=pk, document__isnull=False)
    return FileResponse(job.document.file.open("rb"), content_type="application/pdf", filename=f"print-job-{job.pk}.pdf")


@login_required
@require_POST
def print_job_retry(request, pk):
    job = get_object_or_404(print_jobs_visible_to(request.user), pk=pk)
    services.print_job_retry(job=job, actor=request.user, ip=client_ip(request))
    messages.success(request, _("The print job is queued again."))
    return redirect("print_job_detail", pk=job.pk)


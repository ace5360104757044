"""Public notices (公示): the public pages (no login: the list, a notice, lodging an objection)
and the publishing district's pages (managing a notice, closing it, findings on objections)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from workflows.security.ratelimit import rate_limited
from workflows.notices import services as notices
from workflows.organisations.access import has_role, memberships
from workflows.notices.forms import FindingForm, ObjectionForm
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import (
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
)
from workflows.organisations.roles import ADMINISTRATOR



def _public(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


def _public_notice_or_404(request, pk):
    """A notice while it is public: open, or closed within the retention
    period (notices.is_public). After that only the publishing
    organisation's own staff still see it here."""
    notice = get_object_or_404(PublicNotice, pk=pk)
    if not notices.is_public(notice) and not (
        request.user.is_authenticated
        and any(m.organisation_id == notice.organisation_id for m in memberships(request.user))
    ):
        raise Http404
    return notice


ENTRIES_PER_PAGE = 25


def public_notice_list(request):
    listed = notices.public_notices().select_related("organisation").annotate(entry_count=Count("entries"))
    page = Paginator(listed, 20).get_page(request.GET.get("page"))
    return _public(render(request, "notices/list.html", {"page_obj": page}))


def public_notice_detail(request, pk):
    notice = _public_notice_or_404(request, pk)
    entries = (
        notice.entries.filter(outcome__in=["pending", "no_objection", "dismissed"])
        .select_related("content_type")
        .order_by("position", "pk")
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    for entry in page.object_list:
        entry.notice = notice  # published_rows reads the notice's fields
    return _public(
        render(
            request, "notices/detail.html",
            {"notice": notice, "entries": page.object_list, "page_obj": page,
             "accepting": notice.is_accepting_objections()},
        )
    )


# Counted by workflows.security.ratelimit.RateLimitMiddleware before the body (and its file parts) is read.
@rate_limited("objection", setting="UNIONFLOW_OBJECTION_RATE", window=3600, template="notices/limited.html")
@require_http_methods(["GET", "POST"])
def objection_create(request, pk, entry_pk):
    notice = _public_notice_or_404(request, pk)
    entry = get_object_or_404(NoticeEntry, pk=entry_pk, notice=notice)
    if not notice.is_accepting_objections():
        messages.error(request, _("This notice is closed; objections are no longer accepted."))
        return redirect("notice_detail", pk=notice.pk)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                objection = notices.lodge_objection(
                    entry=entry, objector_kind=data["objector_kind"], text=data["text"], contact=data["contact"],
                    unit_name=data["unit_name"], seal_scan=data["seal_scan"], person_name=data["person_name"],
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                request.session["objection_reference"] = objection.reference
                return redirect("objection_received", pk=notice.pk)
        messages.error(request, _("Please correct the errors below."))
    return _public(render(request, "notices/object.html", {"notice": notice, "entry": entry, "form": form}))


def objection_received(request, pk):
    notice = _public_notice_or_404(request, pk)
    reference = request.session.get("objection_reference")
    if not reference:
        return redirect("notice_detail", pk=notice.pk)
    return _public(render(request, "notices/received.html", {"notice": notice, "reference": reference}))


def _notice_for_staff(user, pk):
    """A notice for the publishing organisation's own staff (404 for anyone
    else); acting on it is for its administrators (403)."""
    notice = get_object_or_404(PublicNotice.objects.select_related("organisation"), pk=pk)
    if not any(m.organisation_id == notice.organisation_id for m in memberships(user)):
        raise Http404
    return notice


def _require_publisher_admin(user, notice):
    if not has_role(user, ADMINISTRATOR, notice.organisation):
        raise NotAllowed(_("Only the administrator of the publishing organisation may do this."))


def _objection_for_admin(user, pk):
    """An objection, for the publishing organisation's administrators only:
    who objected (name, contact, seal scan) is not for the rest of its
    staff (403), nor for anyone else (404)."""
    objection = get_object_or_404(Objection.objects.select_related("entry", "entry__notice"), pk=pk)
    notice = _notice_for_staff(user, objection.entry.notice_id)
    _require_publisher_admin(user, notice)
    return objection, notice


@login_required
def notice_manage(request, pk):
    notice = _notice_for_staff(request.user, pk)
    entries = list(notice.entries.prefetch_related("objections").order_by("position", "pk"))
    today = timezone.localdate()
    return render(
        request, "notices/manage.html",
        {
            "notice": notice, "entries": entries,
            "may_act": has_role(request.user, ADMINISTRATOR, notice.organisation),
            "may_close": notice.status == NoticeStatus.OPEN and today > notice.closes_on,
            "open_objections": Objection.objects.filter(entry__notice=notice, status=ObjectionStatus.OPEN).count(),
        },
    )


@login_required
@require_POST
def notice_close_view(request, pk):
    notice = _notice_for_staff(request.user, pk)
    _require_publisher_admin(request.user, notice)
    try:
        notices.close_notice(notice=notice, actor=request.user, ip=client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The notice is closed."))
    return redirect("notice_manage", pk=notice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def objection_detail(request, pk):
    objection, notice = _objection_for_admin(request.user, pk)
    form = FindingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                notices.record_finding(
                    objection=objection, actor=request.user, upheld=form.cleaned_data["upheld"],
                    finding=form.cleaned_data["finding"], ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The finding is recorded."))
                return redirect("notice_manage", pk=notice.pk)
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "notices/objection.html", {"objection": objection, "notice": notice, "form": form, "may_act": True},
    )


@login_required
def objection_seal(request, pk):
    objection, _notice = _objection_for_admin(request.user, pk)
    if not objection.seal_scan:
        raise Http404
    return FileResponse(objection.seal_scan.open("rb"), as_attachment=True, filename=objection.seal_scan_name or "seal")


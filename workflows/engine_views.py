"""Pages of the engine's deeper rules that know no process: notifications,
the public notice and its objection form (no login, rate-limited), the
publishing organisation's side of a notice (objections, findings, closing),
delegations, declared conflicts and reassignment."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from viewflow.workflow.models import Task

from config.ratelimit import rate_limited

from . import notices
from .access import can_see_organisation, has_role, is_district_admin, memberships
from .delegation import delegation_create, delegation_revoke, eligible_substitutes, entitled_to, task_reassign
from .engine_forms import ConflictForm, DelegationForm, FindingForm, ObjectionForm, ReassignForm
from .exceptions import NotAllowed, RuleViolation
from .flows import OPEN_TASK_STATUSES, acting_pair
from .middleware import client_ip
from .models import (
    ConflictDeclaration,
    Delegation,
    Membership,
    NoticeEntry,
    NoticeStatus,
    Notification,
    Objection,
    ObjectionStatus,
    Organisation,
    OrgKind,
    PublicNotice,
    Role,
)
from .notifications import mark_read, notifications_of
from .recusal import conflict_declare

@login_required
def notification_list(request):
    show = request.GET.get("show") if request.GET.get("show") in ("unread", "all") else "all"
    qs = notifications_of(request.user)
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    search = (request.GET.get("q") or "").strip()
    if search:
        qs = qs.filter(title__icontains=search)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("show", show), ("q", search)) if v])
    return render(
        request, "workflows/notifications.html",
        {"page_obj": page, "show": show, "q": search, "query_string": query},
    )


@login_required
def notification_open(request, pk):
    """Mark one notification read and follow its link."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    if note.url and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications")


@login_required
@require_POST
def notifications_mark_read(request):
    mark_read(request.user)
    return redirect("notifications")


# Public notices (no login) ---------------------------------------------------------

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


def public_notice_list(request):
    page = Paginator(notices.public_notices(), 20).get_page(request.GET.get("page"))
    return _public(render(request, "notices/list.html", {"page_obj": page}))


def public_notice_detail(request, pk):
    notice = _public_notice_or_404(request, pk)
    entries = list(notice.entries.filter(outcome__in=["pending", "no_objection", "dismissed"]).order_by("position", "pk"))
    return _public(
        render(
            request, "notices/detail.html",
            {"notice": notice, "entries": entries, "accepting": notice.is_accepting_objections()},
        )
    )


# Counted by config.middleware before the body (and its file parts) is read.
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


# The district's side of a notice ------------------------------------------------------

def _notice_for_staff(user, pk):
    """A notice for the publishing organisation's own staff (404 for anyone
    else); acting on it is for its administrators (403)."""
    notice = get_object_or_404(PublicNotice.objects.select_related("organisation"), pk=pk)
    if not any(m.organisation_id == notice.organisation_id for m in memberships(user)):
        raise Http404
    return notice


def _require_publisher_admin(user, notice):
    if not has_role(user, Role.DISTRICT_ADMIN, notice.organisation):
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
            "may_act": has_role(request.user, Role.DISTRICT_ADMIN, notice.organisation),
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


# Delegation, declared conflicts, reassignment --------------------------------------------

def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _colleagues(user):
    """Active users of the user's district (the tree under their root)."""
    roots = {m.organisation.ancestor_ids[0] for m in memberships(user) if m.organisation.ancestor_ids}
    paths = [org.path for org in Organisation.objects.filter(pk__in=roots)]
    user_ids = set()
    for path in paths:
        user_ids |= set(Membership.objects.filter(organisation__path__startswith=path).values_list("user_id", flat=True))
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username")


@login_required
@require_http_methods(["GET", "POST"])
def delegation_list(request):
    user = request.user
    admin = is_district_admin(user)
    colleagues = _colleagues(user)
    # Offer only peers or superiors of the absent user (workflows.delegation):
    # of the user, or of the absent user the administrator picked.
    principal = user
    if admin:
        principal = colleagues.filter(pk=_int_or_none(request.POST.get("principal"))).first()
    candidates = eligible_substitutes(principal, colleagues) if principal is not None else colleagues
    form = DelegationForm(request.POST or None, candidates=candidates, principals=colleagues if admin else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegation_create(
                    principal=data.get("principal") or user, substitute=data["substitute"],
                    starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"],
                    actor=user, ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The substitute is named."))
                return redirect("delegations")
        messages.error(request, _("Please correct the errors below."))
    given = Delegation.objects.filter(principal=user)
    if admin:
        given = Delegation.objects.filter(principal__in=_colleagues(user))
    return render(
        request, "workflows/engine/delegations.html",
        {
            "form": form,
            "given": given.select_related("principal", "substitute")[:100],
            "received": Delegation.objects.filter(substitute=user).select_related("principal")[:100],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def delegation_end(request, pk):
    user = request.user
    visible = Delegation.objects.filter(principal=user)
    if is_district_admin(user):
        visible = Delegation.objects.filter(principal__in=_colleagues(user))
    delegation = get_object_or_404(visible, pk=pk)
    delegation_revoke(delegation=delegation, actor=user, ip=client_ip(request))
    messages.success(request, _("The delegation has ended."))
    return redirect("delegations")


@login_required
@require_http_methods(["GET", "POST"])
def conflict_list(request):
    roots = [m.organisation.ancestor_ids[0] for m in memberships(request.user) if m.organisation.ancestor_ids]
    paths = [org.path for org in Organisation.objects.filter(pk__in=roots)]
    orgs = Organisation.objects.none()
    for path in paths:
        orgs = orgs | Organisation.objects.filter(
            path__startswith=path, kind__in=[OrgKind.INTERMEDIATE, OrgKind.GRASSROOTS, OrgKind.SUB_UNION]
        )
    form = ConflictForm(request.POST or None, organisations=orgs.order_by("path"))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                declaration = conflict_declare(
                    reviewer=request.user, relation=data["relation"], person_name=data["person_name"],
                    person_id_number=data["person_id_number"], organisation=data["organisation"],
                    reason=data["reason"], actor=request.user, ip=client_ip(request),
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your declaration is recorded."))
                if declaration.rerouted:
                    messages.info(
                        request,
                        ngettext(
                            "%(n)d open step now goes to someone else.",
                            "%(n)d open steps now go to someone else.",
                            declaration.rerouted,
                        ) % {"n": declaration.rerouted},
                    )
                return redirect("conflicts")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "workflows/engine/conflicts.html",
        {"form": form, "declarations": ConflictDeclaration.objects.filter(user=request.user).select_related("organisation")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_reassign_view(request, pk):
    from .recusal import RECUSAL_ROLES, conflict_reason

    task = get_object_or_404(
        Task.objects.select_related("process", "owner"), pk=pk, status__in=OPEN_TASK_STATUSES, flow_task_type="HUMAN"
    )
    role, org_id = acting_pair(task)
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not can_see_organisation(request.user, organisation):
        raise Http404
    if not has_role(request.user, Role.DISTRICT_ADMIN, Organisation.objects.get(pk=organisation.ancestor_ids[0])):
        raise NotAllowed(_("Only the district administrator can reassign a task."))
    case = task.process.artifact
    holders = get_user_model().objects.filter(
        memberships__role=role, memberships__organisation_id__in=organisation.ancestor_ids, is_active=True
    ).distinct().order_by("username")
    candidates = [u.pk for u in holders if entitled_to(u, task) and not (role in RECUSAL_ROLES and conflict_reason(u, case))]
    form = ReassignForm(request.POST or None, candidates=holders.filter(pk__in=candidates))
    if request.method == "POST":
        if form.is_valid():
            try:
                task_reassign(task=task, to_user=form.cleaned_data["to_user"], actor=request.user,
                              reason=form.cleaned_data["reason"], ip=client_ip(request))
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The step is reassigned."))
                return redirect(_case_url(case) or "inbox")
        messages.error(request, _("Please correct the errors below."))
    return render(
        request, "workflows/engine/reassign.html",
        {"task": task, "case": case, "organisation": organisation, "role": Role(role).label, "form": form,
         "case_url": _case_url(case)},
    )


def _case_url(case):
    from .delegation import case_url

    return case_url(case)

"""A user's in-app notifications: the list, opening one, marking all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from workflows.models import (
    Notification,
)
from workflows.notifications.services import mark_read, notifications_of



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


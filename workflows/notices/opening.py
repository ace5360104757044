"""Opening a public notice from a process's round (a campaign, a period):
the notices of the round, the preview of what opening one now would
publish, the page that shows it and opens the notice once confirmed, and
the manual notice step's link and note in the inbox. What the notice lists
and how it is titled are the process's (it passes them in)."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflows.exceptions import NotAllowed, RuleViolation
from workflows.middleware import client_ip
from workflows.models import NoticeStatus, PublicNotice
from workflows.notices import services as notices


def notices_of(scope):
    """The round's notices, the latest first."""
    return PublicNotice.objects.filter(
        scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk
    ).order_by("-opened_on", "-pk")


def _readable(case, name, value):
    """A published value as the public page will show it: a choice by its
    label, not its stored code."""
    display = getattr(case, f"get_{name}_display", None)
    return display() if display else value


def notice_preview(*, scope, cases, fields, labels, published, days, title, today=None):
    """What opening a notice now would publish: the `cases` with the
    `fields` (`labels` names them, `published(case)` gives their values),
    the window of `days` working days as counted from today (or why it
    cannot be counted), its `title`, and the round's live notices."""
    today = today or timezone.localdate()
    try:
        closes_on, window_problem = notices.window_end(today, days), ""
    except RuleViolation as exc:
        closes_on, window_problem = None, exc.message
    rows = []
    for case in cases:
        values = published(case)
        rows.append([(labels[name], _readable(case, name, values[name])) for name in fields])
    return {
        "title": title, "columns": [labels[name] for name in fields], "rows": rows, "days": days,
        "opens_on": today, "closes_on": closes_on, "window_problem": window_problem,
        "live_notices": notices_of(scope).filter(status=NoticeStatus.OPEN),
    }


def notice_open_page(request, *, may_open, refusal, preview, open_notice, back_url, empty_message):
    """The notice step's page: the preview (`preview()`, above) with the
    candidates as they will be published; publishing (`open_notice(ip=)`)
    needs the confirmation posted here. `refusal`: the 403's words."""
    if not may_open:
        raise NotAllowed(refusal)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            notice = open_notice(ip=client_ip(request))
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        messages.success(
            request,
            _("The public notice is open until %(date)s with %(n)d candidate(s).")
            % {"date": notice.closes_on.isoformat(), "n": notice.entries.count()},
        )
        return redirect("notice_manage", pk=notice.pk)
    return render(request, "workflows/notice_open.html",
                  {**preview(), "back_url": back_url, "empty_message": empty_message})


class NoticeStep:
    """The inbox's link and note of a manual notice step: a case under
    notice (`in_notice`) leads to its public notice, saying until when it
    runs ("公示中，至 12月11日"); one awaiting a notice to `open_url(case)`,
    the page that opens one."""

    def __init__(self, *, in_notice, open_url):
        self.in_notice, self.open_url = in_notice, open_url

    def _live_entry(self, case):
        # Read once per row: the inbox asks for the link and the note.
        if case.state != self.in_notice:
            return None
        if not hasattr(case, "_live_notice_entry"):
            case._live_notice_entry = notices.entry_of(case)
        return case._live_notice_entry

    def url(self, case):
        entry = self._live_entry(case)
        return reverse("notice_detail", args=[entry.notice_id]) if entry is not None else self.open_url(case)

    def note(self, case):
        entry = self._live_entry(case)
        if entry is None:
            return ""
        return _("On public notice until %(date)s") % {"date": date_format(entry.notice.closes_on, "MONTH_DAY_FORMAT")}

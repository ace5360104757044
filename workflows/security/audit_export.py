"""The audit log of a district for a date range, as a CSV file for the
auditor (等保: audit records kept and reviewable). Scoped to the district:
the entries recorded at an organisation of its branch. The export itself is
recorded. Streamed: the rows are read in chunks and the page's queries do
not grow with them."""

import csv
import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows.audit import action_label, log_action, register_action_labels
from workflows.middleware import client_ip
from workflows.models import AuditEntry
from workflows.organisations.administration import administered_districts
from workflows.organisations.roles import ADMINISTRATOR, role_label

EXPORTED = "workflows.audit.exported"
register_action_labels({EXPORTED: gettext_lazy("Audit log exported")})

MAX_DAYS = 366


class RangeForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Export at most one year at a time."))
        return data


def entries_of(district, start, end):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return (
        AuditEntry.objects.filter(organisation__path__startswith=district.path, created__gte=since,
                                  created__lt=until)
        .select_related("organisation", "content_type").order_by("created", "pk")
    )


class _Echo:
    def write(self, value):
        return value


def csv_rows(entries):
    writer = csv.writer(_Echo())
    # A byte-order mark: Excel then opens the UTF-8 file with its Chinese.
    yield "\ufeff" + writer.writerow([
        _("Time"), _("Action code"), _("Action"), _("Actor"), _("Actor ID"), _("On behalf of (ID)"),
        _("Organisation"), _("Role"), _("State before"), _("State after"), _("Decision"), _("Comment"), _("IP address"),
        _("Object"), _("Object ID"), _("Data"), _("Entry hash"),
    ])
    for e in entries.iterator(chunk_size=2000):
        yield writer.writerow([
            timezone.localtime(e.created).isoformat(timespec="seconds"), e.action, str(action_label(e.action)),
            e.actor_name, e.actor_id or "", e.on_behalf_of_id or "", e.organisation.name if e.organisation else "",
            str(role_label(e.role)) if e.role else "", e.from_state, e.to_state, e.decision, e.comment,
            e.ip or "", f"{e.content_type.app_label}.{e.content_type.model}", e.object_id,
            _json(e.data), e.entry_hash,
        ])


def _json(data):
    import json

    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data else ""


@login_required
def audit_export(request):
    districts = administered_districts(request.user)
    if not districts:
        raise Http404()
    district = districts[0]
    form = RangeForm(request.GET if "start" in request.GET or "end" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        log_action(district, EXPORTED, actor=request.user, organisation=district, role=ADMINISTRATOR,
                   ip=client_ip(request), data={"start": start.isoformat(), "end": end.isoformat()})
        response = StreamingHttpResponse(csv_rows(entries_of(district, start, end)),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{district.code}-{start}-{end}.csv"'
        return response
    if not form.is_bound:
        today = timezone.localdate()
        form = RangeForm(initial={"start": today - datetime.timedelta(days=30), "end": today})
    return render(request, "workflows/security/audit_export.html", {"form": form, "district": district})

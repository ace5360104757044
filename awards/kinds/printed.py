"""The printed application form (推荐审批表) of a case: the kind's title,
the union, the candidate, every answer of the version's form, the files by
name, and a blank box for the opinion, signature and seal of each step of
the version's route, to be filled in by hand where a paper file is kept.

ID and mobile numbers are masked unless the reader is the district (who
checks the person against its records), and that reading is recorded in
the case's history as on the page."""

from django.utils import timezone

from workflows.audit import log_action
from workflows.dataforms.definition import shown_answers
from workflows.documents.rendering import render_html

from .cases import IDENTITY_VIEWED, identity_grant
from .routes import ROUTES


def route_boxes(version):
    """(label) of each step of `version`'s route, in route order."""
    route = version.definition["route"]
    template = ROUTES[route["template"]]
    return [template.step(code).label for code in route["steps"] if template.step(code) is not None]


def file_rows(case):
    """(label, [file names]) of each file field of the case's version."""
    names = {}
    for attachment in case.attachment_files.order_by("uploaded_at", "pk"):
        names.setdefault(attachment.kind, []).append(attachment.original_name)
    return [(spec["label"], names.get(spec["key"], []))
            for spec in case.kind_version.definition["fields"] if spec["type"] == "file"]


def application_form_html(case, *, actor, full=False, ip=None):
    """The form's HTML; `full` (the district only, checked by the caller
    through identity_grant) prints ID and mobile numbers in full and is
    recorded."""
    if full:
        organisation, role = identity_grant(actor, case)
        log_action(case, IDENTITY_VIEWED, actor=actor, organisation=organisation, role=role, ip=ip,
                   data={"where": "printed_form"})
    version = case.kind_version
    return render_html("kinds/application_form.html", {
        "case": case, "campaign": case.campaign, "title": version.title,
        "answers": shown_answers(version.definition["fields"], case.answers, full_identity=full),
        "files": file_rows(case), "boxes": route_boxes(version), "today": timezone.localdate(),
    })

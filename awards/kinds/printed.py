"""The printed application form (推荐审批表) of a case, the case's dossier on
paper: the kind's title, the union, the candidate, every answer of the
version's form, the files by name; then, in route order, one opinion block
per level that decides (the chair, the intermediate union, the district,
each department asked for a sign-off, the final decision), filled from the
case's decisions (opinion, reviewer, organisation, date) with room for the
seal, and the public notice's record (its dates, each objection and how it
ended, or 公示无异议). A level that has not decided yet prints blank, to be
filled in by hand where a paper file is kept.

ID and mobile numbers are masked unless the reader may read them in full
(selectors.identity_grant: the district, a department asked for a
sign-off) and asked to: that reading is recorded in the case's history as
on the page, and the caller keeps such a form nowhere (private)."""

from django.utils import timezone

from workflows.audit import history_of, log_action
from workflows.dataforms.definition import shown_answers
from workflows.documents.rendering import render_html
from workflows.models import NoticeEntry, NoticeOutcome, SignoffStatus, case_q
from workflows.signoffs.services import current_round

from .cases import IDENTITY_VIEWED
from .declaration import KIND_CASE_PROCESS, has_intermediate
from .routes import ROUTES
from .selectors import identity_grant
from .signoffs import STEP, signoff_departments

# Route steps that print no opinion block: the inspectors' scores are on
# their scoring sheets, and the notice prints its own record instead.
NO_OPINION = {"scoring"}
NOTICE = "notice"


def file_rows(case):
    """(label, [file names]) of each file field of the case's version."""
    names = {}
    for attachment in case.attachment_files.order_by("uploaded_at", "pk"):
        names.setdefault(attachment.kind, []).append(attachment.original_name)
    return [(spec["label"], names.get(spec["key"], []))
            for spec in case.kind_version.definition["fields"] if spec["type"] == "file"]


def _decision_words(case, entry):
    """The label of the decision `entry` records, as the case's buttons
    said it (an outcome by the version's own label)."""
    step = KIND_CASE_PROCESS.step_of_state(entry.from_state)
    choices = [d for d in step.decisions if d.code == entry.decision]
    chosen = next((d for d in choices if KIND_CASE_PROCESS.audit_action(d.code, d.action) == entry.action),
                  choices[0] if choices else None)
    return str(chosen.for_case(case).label) if chosen else ""


def _latest_decisions(case):
    """{(step name, organisation id): the latest decision entry} from the
    case's history in one query: the step is the one open in the state the
    decision was taken from, so a return and a later approval at the same
    level print the approval."""
    latest = {}
    for entry in history_of(case):
        step = KIND_CASE_PROCESS.step_of_state(entry.from_state) if entry.decision else None
        if step is None or step.manual or not step.decisions:
            continue
        latest[(step.name, entry.organisation_id if step.fan_out else None)] = entry
    return latest


def _block(case, title, entry, department=None):
    words = _decision_words(case, entry) if entry else ""
    return {
        "title": title, "department": department.name if department else "", "decision": words,
        "opinion": entry.comment if entry else "",
        "reviewer": entry.actor_name if entry else "",
        "organisation": entry.organisation.name if entry and entry.organisation else "",
        "date": timezone.localtime(entry.created).date() if entry else None,
    }


def _signoff_blocks(case, step):
    """One block per department of the case's latest round of sign-off
    requests, with its answer and opinion (a pending or cancelled request
    prints blank); before the case reaches the sign-offs, blank blocks for
    the departments its route would ask. Two queries at most."""
    requests = list(current_round(case))
    if not requests:
        return [_block(case, step.label, None, d) for d in signoff_departments(case)]
    words = {d.code: str(d.label) for d in KIND_CASE_PROCESS.step(STEP).decisions}
    blocks = []
    for r in requests:
        answered = r.status in (SignoffStatus.AGREED, SignoffStatus.REFUSED)
        blocks.append({
            "title": step.label, "department": r.department.name,
            "decision": words["agree" if r.status == SignoffStatus.AGREED else "refuse"] if answered else "",
            "opinion": r.opinion if answered else "",
            "reviewer": (r.answered_by.get_full_name() or r.answered_by.username) if answered else "",
            "organisation": r.department.name if answered else "",
            "date": timezone.localtime(r.answered_at).date() if answered else None,
        })
    return blocks


def opinion_blocks(case):
    """The form's sections after the answers, in the version's route
    order: {"notice": True} where the public notice runs, else an opinion
    block {title, department, decision, opinion, reviewer, organisation,
    date} per deciding level (one per department of the sign-offs). A
    constant number of queries, whatever the number of decisions."""
    route = case.kind_version.definition["route"]
    template = ROUTES[route["template"]]
    latest = _latest_decisions(case)
    sections = []
    for code in route["steps"]:
        step = template.step(code)
        if step is None or code in NO_OPINION:
            continue
        if code == NOTICE:
            sections.append({"notice": True})
        elif code == "intermediate_review" and not has_intermediate(case):
            continue  # a union directly under the district skips that level
        elif code == STEP:
            sections.extend(_signoff_blocks(case, step))
        else:
            sections.append(_block(case, step.label, latest.get((code, None))))
    return sections


def notice_record(case):
    """Each public notice the case stood on, oldest first: {notice, outcome
    (its label), objections}; each objection by its reference, the day it
    was lodged, its status and the finding. The objector and the text are
    the publishing organisation's only (as on the case's page) and never
    printed. Two queries."""
    entries = (NoticeEntry.objects.filter(case_q(case))
               .select_related("notice").prefetch_related("objections").order_by("notice__opened_on", "pk"))
    return [{"notice": e.notice, "outcome": e.get_outcome_display(), "pending": e.outcome == NoticeOutcome.PENDING,
             "objections": [{"reference": o.reference, "lodged": timezone.localtime(o.created).date(),
                             "status": o.get_status_display(), "finding": o.finding,
                             "found": timezone.localtime(o.found_at).date() if o.found_at else None}
                            for o in e.objections.all()]}
            for e in entries]


def application_form_html(case, *, actor, full=False, ip=None):
    """The form's HTML. `full` (checked by the caller: identity_grant)
    prints ID and mobile numbers in full and records that `actor` read
    them on the printed form."""
    if full:
        organisation, role = identity_grant(actor, case)
        log_action(case, IDENTITY_VIEWED, actor=actor, organisation=organisation, role=role, ip=ip,
                   data={"where": "printed_form"})
    version = case.kind_version
    return render_html("kinds/application_form.html", {
        "case": case, "campaign": case.campaign, "title": version.title,
        "answers": shown_answers(version.definition["fields"], case.answers, full_identity=full),
        "files": file_rows(case), "sections": opinion_blocks(case),
        "notices": notice_record(case) if case.has_step(NOTICE) else [], "today": timezone.localdate(),
    })

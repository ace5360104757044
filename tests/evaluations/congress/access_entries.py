"""Reports to the workers' congress, its facts and its sections of the
coverage page in the access matrix and the form fuzzing (the registry:
tests/access_registry.py)."""

from django.urls import reverse

from tests.access_registry import FormEntry, o, pick, r

# A URL of /reports/ taking a pk is a report's.
PAGES = {"congress": {(): None, ("pk",): "report"}}

CASES = {"congress_report": "report"}
CASE_ATTACHMENTS = {"congress_report": "report_attachment"}

OBJECT_URLS = {
    # The old download address: the case and the attachment's old id.
    "congress:attachment": ("report_attachment", lambda a: {"case_pk": a.case_id, "old_pk": a.legacy_id}),
    "congress:facts_edit": ("facts_org", lambda org: {"org_pk": org.pk}),
}


def _coverage_missing():
    from evaluations.congress.models import CoverageTarget

    return reverse("coverage:missing", kwargs={"code": CoverageTarget.objects.order_by("pk").first().code})


NO_OBJECT = {
    "coverage:missing": _coverage_missing,
    "coverage:close_year": lambda: reverse("coverage:close_year") + "?year=2024",
    "api:figures": lambda: reverse("api:figures", kwargs={"name": "coverage"}),
}

FORMS = {
    "congress:report_edit": FormEntry("yiyuan_submit", r("congress:report_edit", pick(
        "congress.Report", state="draft", organisation__code="yiyuan"))),
    "congress:report_decide": FormEntry("cg_review", r("congress:report_decide", pick(
        "congress.Report", state="submitted", organisation__code="jixie")), r(
        "congress:report_detail", pick("congress.Report", state="submitted", organisation__code="jixie"))),
    "congress:period_open": FormEntry("qz_admin", r("congress:period_open")),
    # 2024 is closed in the demo (its page shows no form); 2025 has ended and is open.
    "coverage:close_year": FormEntry("qz_admin", r("coverage:close_year", query="?year=2025")),
    "congress:facts_edit": FormEntry("qz_admin", r("congress:facts_edit", o("facts_org"))),
    "congress:facts_import": FormEntry("qz_admin", r("congress:facts_import"), r("congress:facts_list")),
}


def world_objects(world):
    """The union's report awaiting review (or its first) of the demo; a
    report of a period the other district opens; the unions whose facts
    are edited."""
    from evaluations.congress.models import Report, ReportKind
    from evaluations.congress.periods import do_open_period
    from workflows.models import Sector

    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        reports = Report.objects.filter(organisation=world.org[code]).order_by("pk")
        world.obj["report", slot] = reports.filter(state="submitted").first() or reports.first()
    do_open_period(kind=ReportKind.objects.get(code="entertainment-expenses"), year=2024, half=1,
                   sectors=[Sector.INSTITUTION], district=world.org["other-district"],
                   actor=world.users["other_admin"])
    world.obj["report", "X"] = Report.objects.get(organisation=world.org["other-union"])

"""What a kind of campaign says, and every problem with it, named by its
place, so a clerk (or an import from another installation) is told exactly
what to mend and nothing is half-made.

    {"format": 1, "title": "…", "applicant": "person",
     "fields": [...workflows.dataforms specs...],
     "route": {"template": "honour", "steps": ["confirm", "district_review", "notice", "decision"],
               "signoffs": ["tax-bureau", {"department": "audit", "sectors": ["state_owned"]}],
               "scoring": {"inspectors": 2}, "notice_days": 5,
               "deadline_days": {"confirm": 5, "district_review": 10},
               "outcomes": [{"value": "granted", "label": "授予", "positive": true}, ...],
               "withdraw_until": "first_review", "reason_on_refusal": true,
               "resubmission_comment": "required"},
     "ends_in": {"certificate": {"layout": "default", "title": "...", "wording": "授予{name}同志…",
                                 "issuer": "…总工会", "number_format": "YX{year}-{seq:03d}"},
                 "approved_list": true, "payment_list": false}}

The last three route options may be left out: a version saved before they
existed reads their defaults (`route_option`), so its cases go on as
before. A payment list pays the form's money field `ends_in.payment_field` names;
with one money field it may be left out (that one is paid).
"""

import re
import string

from django.utils.translation import gettext_lazy as _

from workflows.dataforms.definition import KEY_RE, problems_of_fields
from workflows.dataforms.palette import SectorField, answered_sector
from workflows.documents.layouts import is_layout
from workflows.models import Sector

from .routes import (APPLICANTS, DEFAULT_RESUBMISSION_COMMENT, DEFAULT_WITHDRAW_UNTIL, RESUBMISSION_COMMENT,
                     ROUTES, WITHDRAW_UNTIL)

FORMAT = 1
PLACEHOLDERS = frozenset({"name", "union", "year", "title", "campaign"})
# The keys each level may hold: anything else in a file is refused, not
# stored (an unknown key would change the fingerprint and travel along).
TOP_KEYS = frozenset({"format", "title", "applicant", "fields", "route", "ends_in"})
ROUTE_KEYS = frozenset({"template", "steps", "signoffs", "scoring", "notice_days", "deadline_days", "outcomes",
                        "withdraw_until", "reason_on_refusal", "resubmission_comment", "unique_person"})
# The route's options beyond its steps: (allowed values, default).
# unique_person: one active case per person in a campaign
# (awards/kinds/cases.py::check_unique_person).
ROUTE_OPTIONS = {
    "withdraw_until": (tuple(WITHDRAW_UNTIL), DEFAULT_WITHDRAW_UNTIL),
    "reason_on_refusal": ((True, False), False),
    "resubmission_comment": (tuple(RESUBMISSION_COMMENT), DEFAULT_RESUBMISSION_COMMENT),
    "unique_person": ((True, False), False),
}
SCORING_KEYS = frozenset({"inspectors"})
ENDING_KEYS = frozenset({"certificate", "approved_list", "payment_list", "payment_field"})
CERTIFICATE_KEYS = frozenset({"layout", "title", "wording", "issuer", "number_format"})
OUTCOME_KEYS = frozenset({"value", "label", "positive"})
SIGNOFF_KEYS = frozenset({"department", "sectors"})
# A sign-off may be limited to the engine's sectors (workflows.models.Sector,
# blank "not applicable" left out: no department signs off only those).
SECTORS = tuple(value for value in Sector.values if value)
SECTOR_FIELD = SectorField.code
# A certificate number's sequence may be padded (e.g. {seq:03d}), up to 9 digits.
SEQ_SPEC = re.compile(r"0?[1-9]?d?")
MAX_DEADLINE_DAYS, MAX_NOTICE_DAYS = 60, 30
MIN_INSPECTORS, MAX_INSPECTORS = 1, 5


def problems_of_kind(definition, *, departments=()):
    """Every problem of `definition`, as (place, message). `departments`
    are the codes of the sign-off departments of the district that will
    use the kind."""
    if not isinstance(definition, dict):
        return [("", _("A kind of campaign must be an object."))]
    problems = _unknown_keys(definition, TOP_KEYS, "")
    if definition.get("format") != FORMAT:
        problems.append(("format", _("This file is of format %(found)s; this installation reads format %(format)s.")
                         % {"found": definition.get("format"), "format": FORMAT}))
    title = definition.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 100:
        problems.append(("title", _("The kind needs a title of at most 100 characters.")))
    applicant = definition.get("applicant")
    if not isinstance(applicant, str) or applicant not in APPLICANTS:
        problems.append(("applicant", _("Say who applies: %(choices)s.") % {"choices": ", ".join(APPLICANTS)}))
    fields = definition.get("fields")
    problems += problems_of_fields(fields) + _sector_field_problems(fields)
    problems += _route_problems(definition.get("route"), applicant, departments)
    problems += _ending_problems(definition.get("ends_in"), fields if isinstance(fields, list) else [])
    return problems


def _route_problems(route, applicant, departments):
    if not isinstance(route, dict):
        return [("route", _("Choose a route."))]
    code = route.get("template")
    template = ROUTES.get(code) if isinstance(code, str) else None
    if template is None:
        return [("route.template", _("Choose one of the routes: %(routes)s.") % {"routes": ", ".join(ROUTES)})]
    problems = _unknown_keys(route, ROUTE_KEYS, "route")
    if isinstance(applicant, str) and applicant in APPLICANTS and applicant not in template.applicants:
        problems.append(("route.template", _("This route is not for this kind of applicant.")))
    steps = route.get("steps")
    declared = [s.code for s in template.steps]
    # The template's steps, some left out: in its order, each once.
    if (not isinstance(steps, list) or any(not isinstance(code, str) for code in steps)
            or steps != [code for code in declared if code in steps]):
        problems.append(("route.steps", _("The steps must be among: %(steps)s, in that order, each once.")
                         % {"steps": ", ".join(declared)}))
        steps = declared
    missing = [s.code for s in template.steps if not s.optional and s.code not in steps]
    if missing:
        problems.append(("route.steps", _("These steps cannot be left out: %(steps)s.") % {"steps": ", ".join(missing)}))
    signoffs = route.get("signoffs", [])
    if "signoffs" in steps:
        problems += _signoff_problems(signoffs, departments)
    elif signoffs:
        problems.append(("route.signoffs", _("Departments are named only when the route has sign-offs.")))
    problems += _scoring_problems(route.get("scoring"), steps)
    notice_days = route.get("notice_days", 0)
    if "notice" in steps and (not _whole(notice_days) or not 1 <= notice_days <= MAX_NOTICE_DAYS):
        problems.append(("route.notice_days", _("A public notice lasts from 1 to %(max)s working days.")
                         % {"max": MAX_NOTICE_DAYS}))
    deadlines = route.get("deadline_days", {})
    if not isinstance(deadlines, dict):
        problems.append(("route.deadline_days", _("Deadlines are given per step.")))
    else:
        for code, days in deadlines.items():
            step = template.step(code)
            if step is None or code not in steps or not step.timed:
                problems.append((f"route.deadline_days.{code}", _("This step takes no deadline in this route.")))
            elif not _whole(days) or not 1 <= days <= MAX_DEADLINE_DAYS:
                problems.append((f"route.deadline_days.{code}", _("A deadline is from 1 to %(max)s working days.")
                                 % {"max": MAX_DEADLINE_DAYS}))
    if not isinstance(route.get("unique_person", False), bool):
        problems.append(("route.unique_person", _("Say true or false.")))
    problems += _outcome_problems(route.get("outcomes"))
    problems += _option_problems(route)
    return problems


def _option_problems(route):
    problems = []
    for key, (allowed, _default) in ROUTE_OPTIONS.items():
        value = route.get(key)
        # A bool is compared as itself: 1 is not true here.
        if key in route and not any(value is choice or (isinstance(choice, str) and value == choice)
                                    for choice in allowed):
            problems.append((f"route.{key}", _("Choose one of: %(choices)s.")
                             % {"choices": ", ".join(str(c).lower() for c in allowed)}))
    return problems


def route_option(route, key):
    """A checked route's option `key`, or its default when the version
    leaves it out (saved before the option existed, or left at it)."""
    return route.get(key, ROUTE_OPTIONS[key][1])


def _signoff_problems(signoffs, departments):
    """Each entry a department's code (it signs off every case) or
    {"department": code, "sectors": [...]} (only the cases of those
    sectors, as May Day asks audit of state-owned enterprises only)."""
    if not isinstance(signoffs, list) or not signoffs:
        return [("route.signoffs", _("Choose the departments that sign off."))]
    problems, seen, unknown = [], set(), []
    for entry in signoffs:
        if isinstance(entry, dict):
            extra = _unknown_keys(entry, SIGNOFF_KEYS, "route.signoffs")
            if extra:
                problems += extra
                continue
            code, sectors = entry.get("department"), entry.get("sectors")
        else:
            code, sectors = entry, None
        if not isinstance(code, str) or not code:
            problems.append(("route.signoffs", _("Each sign-off names a department by its code.")))
            continue
        if code not in departments:
            unknown.append(code)
        elif code in seen:
            problems.append(("route.signoffs", _("The department %(code)s is named twice.") % {"code": code}))
        seen.add(code)
        if isinstance(entry, dict) and sectors_problem(sectors):
            problems.append(("route.signoffs", _("Department %(code)s: choose at least one of the sectors "
                                                 "%(sectors)s, each once, or leave the sectors out so that it "
                                                 "signs off every case.")
                             % {"code": code[:50], "sectors": ", ".join(SECTORS)}))
    if unknown:
        problems.append(("route.signoffs", _("No such sign-off department in this district: %(codes)s.")
                         % {"codes": ", ".join(unknown)[:200]}))
    return problems


def sectors_problem(sectors):
    return (not isinstance(sectors, list) or not sectors or any(not isinstance(s, str) or s not in SECTORS
                                                                for s in sectors)
            or len(set(sectors)) != len(sectors))


def signoff_entries(route):
    """(department code, sectors or None for every sector) of a checked
    route's sign-offs; a plain code (the format kinds were first saved
    in) signs off every case."""
    entries = []
    for entry in route.get("signoffs") or []:
        if isinstance(entry, dict):
            entries.append((entry["department"], tuple(entry["sectors"])))
        else:
            entries.append((entry, None))
    return entries


def signoff_codes(route):
    return [code for code, _sectors in signoff_entries(route)]


def case_sector(case):
    """The sector of the case's unit: the answer of the form's sector
    field, else (no such field, or left blank) the applying union's."""
    return answered_sector(case.kind_version.definition["fields"], case.answers, case.organisation.sector)


def signing_for(route, sector):
    """The codes of the departments that sign off a case of `sector` ("" when
    neither the form nor the union says one: only departments of every
    sector)."""
    return [code for code, sectors in signoff_entries(route) if sectors is None or sector in sectors]


def _sector_field_problems(fields):
    """At most one field says the unit's sector: the sign-offs read it."""
    if not isinstance(fields, list):
        return []
    places = [i for i, spec in enumerate(fields) if isinstance(spec, dict) and spec.get("type") == SECTOR_FIELD]
    return [(f"fields[{i}].type", _("The form already has a field of the unit's economic sector: the sign-offs "
                                    "read one only.")) for i in places[1:]]


def _scoring_problems(scoring, steps):
    """Scoring by assigned inspectors: how many score each case."""
    if "scoring" not in steps:
        return [("route.scoring", _("Inspectors are set only when the route has scoring."))] if scoring else []
    if not isinstance(scoring, dict):
        scoring = {}
    problems = _unknown_keys(scoring, SCORING_KEYS, "route.scoring")
    inspectors = scoring.get("inspectors")
    if not _whole(inspectors) or not MIN_INSPECTORS <= inspectors <= MAX_INSPECTORS:
        problems.append(("route.scoring", _("Scoring needs from %(min)s to %(max)s inspectors per case.")
                         % {"min": MIN_INSPECTORS, "max": MAX_INSPECTORS}))
    return problems


def _outcome_problems(outcomes):
    if not isinstance(outcomes, list) or not 2 <= len(outcomes) <= 6:
        return [("route.outcomes", _("Give from 2 to 6 outcomes of the final decision."))]
    values = [o.get("value") if isinstance(o, dict) else None for o in outcomes]
    if any(not isinstance(v, str) or not KEY_RE.fullmatch(v) for v in values) or len(set(values)) != len(values):
        return [("route.outcomes", _("Each outcome needs its own code (lowercase letters, digits, _)."))]
    for i, outcome in enumerate(outcomes):
        unknown = _unknown_keys(outcome, OUTCOME_KEYS, f"route.outcomes[{i}]")
        if unknown:
            return unknown
    if any(not isinstance(o.get("label"), str) or not o["label"].strip() or len(o["label"]) > 50 for o in outcomes):
        return [("route.outcomes", _("Each outcome needs a label."))]
    if any(not isinstance(o.get("positive", False), bool) for o in outcomes):
        return [("route.outcomes", _("Whether an outcome grants is true or false."))]
    positive = [o for o in outcomes if o.get("positive") is True]
    if not positive or len(positive) == len(outcomes):
        return [("route.outcomes", _("At least one outcome grants and at least one does not."))]
    return []


def _ending_problems(ends_in, fields):
    if not isinstance(ends_in, dict):
        return [("ends_in", _("Say what the campaign ends in."))]
    problems = _unknown_keys(ends_in, ENDING_KEYS, "ends_in")
    for key in ("approved_list", "payment_list"):
        if not isinstance(ends_in.get(key, False), bool):
            problems.append((f"ends_in.{key}", _("“%(flag)s” is true or false.") % {"flag": key}))
    certificate = ends_in.get("certificate")
    if not (certificate or ends_in.get("approved_list") or ends_in.get("payment_list")):
        problems.append(("ends_in", _("A campaign ends in a certificate, an approved list or a payment list.")))
    if certificate:
        problems += _certificate_problems(certificate)
    money = [f.get("key") for f in fields if isinstance(f, dict) and f.get("type") == "money"]
    paid = ends_in.get("payment_field")
    if ends_in.get("payment_list") and not money:
        problems.append(("ends_in.payment_list", _("A payment list needs an amount field (money) in the form.")))
    elif paid is not None and (not isinstance(paid, str) or paid not in money):
        problems.append(("ends_in.payment_field", _("The amount paid must be the key of a money field of the form.")))
    elif ends_in.get("payment_list") and paid is None and len(money) > 1:
        # With two money fields (an income and the amount asked for) the
        # list must not guess which one is paid.
        problems.append(("ends_in.payment_field", _("The form has several money fields: say which one the payment "
                                                    "list pays (its key).")))
    return problems


def _certificate_problems(certificate):
    if not isinstance(certificate, dict):
        return [("ends_in.certificate", _("Describe the certificate."))]
    problems = _unknown_keys(certificate, CERTIFICATE_KEYS, "ends_in.certificate")
    layout = certificate.get("layout", "")
    if not isinstance(layout, str) or not is_layout(layout):
        problems.append(("ends_in.certificate.layout", _("No such certificate layout.")))
    for key, limit in (("title", 50), ("issuer", 100), ("wording", 500)):
        value = certificate.get(key)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            problems.append((f"ends_in.certificate.{key}", _("Required, at most %(max)s characters.") % {"max": limit}))
    title = certificate.get("title")
    if isinstance(title, str) and _placeholders(title, padded=()) not in (set(), {"year"}):
        # The title is filled by {year} only (endings.award_title).
        problems.append(("ends_in.certificate.title", _("The title may use only {year}.")))
    wording = certificate.get("wording")
    if isinstance(wording, str):
        names = _placeholders(wording, padded=())
        if names is None or names - PLACEHOLDERS:
            problems.append(("ends_in.certificate.wording", _("The wording may use only: %(names)s.")
                             % {"names": ", ".join("{%s}" % p for p in sorted(PLACEHOLDERS))}))
    number_format = certificate.get("number_format")
    if not isinstance(number_format, str) or number_problem(number_format):
        problems.append(("ends_in.certificate.number_format",
                         _("The number format needs {seq} and may use {year}, e.g. YX{year}-{seq:03d}.")))
    return problems


def _placeholders(text, *, padded=("seq",)):
    """The names `text` formats, or None when it is no plain template: a
    conversion (!r) or a format spec is refused, except a padding of the
    names in `padded` (e.g. {seq:03d}); a wider spec could make one
    certificate number a gigabyte long."""
    names = set()
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            if name is None:
                continue
            if conversion or (spec and not (name in padded and SEQ_SPEC.fullmatch(spec))):
                return None
            names.add(name)
    except ValueError:
        return None
    return names


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown_keys(mapping, allowed, place):
    unknown = sorted(str(key) for key in set(mapping) - allowed)
    if not unknown:
        return []
    return [(place, _("Settings this file may not hold here: %(keys)s.") % {"keys": ", ".join(unknown)[:200]})]


def number_problem(number_format):
    names = _placeholders(number_format)
    if names is None or "seq" not in names or names - {"seq", "year"}:
        return True
    try:
        number_format.format(year=2026, seq=1)
    except (ValueError, KeyError, IndexError):
        return True
    return False

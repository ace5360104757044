"""Creating, revising, exporting and importing kinds of campaign. Each
service checks the whole definition first and writes in one transaction:
a refused definition leaves nothing behind.

Lock order (docs/lock-order.md): the kind row, then its versions."""

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from workflows.audit import log_action
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.models import Organisation, OrgKind
from workflows.organisations.administration import administered_districts
from workflows.organisations.roles import ADMINISTRATOR as ADMIN_ROLE

from .definition import FORMAT, problems_of_kind
from .models import CREATED, IMPORTED, NEW_VERSION, REVISED, CampaignKind, KindVersion

FILE_MARK = "unionflow-campaign-kind"
CODE_RE = re.compile(r"[-a-zA-Z0-9_]{1,40}")  # used with fullmatch: no trailing newline


class KindProblems(RuleViolation):
    """The definition's problems, each named by its place."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(_("The kind of campaign has %(count)s problem(s).") % {"count": len(problems)})


def department_codes(district):
    return set(Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.DEPARTMENT)
               .values_list("code", flat=True))


def fingerprint(definition):
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check(definition, district):
    problems = problems_of_kind(definition, departments=department_codes(district))
    if problems:
        raise KindProblems(problems)


def _require_admin(actor, district):
    if district.parent_id is not None or district not in administered_districts(actor):
        raise NotAllowed(_("Only the district administrator sets up kinds of campaign."))


def do_create_kind(*, district, code, definition, actor, ip=None):
    _require_admin(actor, district)
    _check(definition, district)
    with transaction.atomic():
        if CampaignKind.objects.filter(district=district, code=code).exists():
            raise RuleViolation(_("A kind with this code already exists in your district."))
        try:
            # Two administrators creating the same code at once: the
            # constraint decides, and the second is told, not shown a 500.
            with transaction.atomic():
                kind = CampaignKind.objects.create(district=district, code=code, created_by=actor)
        except IntegrityError:
            raise RuleViolation(_("A kind with this code already exists in your district.")) from None
        version = KindVersion.objects.create(kind=kind, number=1, title=definition["title"], definition=definition,
                                             fingerprint=fingerprint(definition), created_by=actor)
        log_action(kind, CREATED, actor=actor, organisation=district, role=ADMIN_ROLE, ip=ip,
                   data={"version": 1, "title": version.title, "fingerprint": version.fingerprint})
    return version


def do_revise_kind(*, kind, definition, actor, ip=None, action=None, base=None):
    """Save `definition` as the kind's current content: in place while no
    campaign uses the current version, else as the next version (running
    campaigns and their cases stay on theirs). No change, no new row.
    `base` is the fingerprint of the content the editor was opened on: when
    someone else saved since, the save is refused rather than overwriting
    their change."""
    _require_admin(actor, kind.district)
    _check(definition, kind.district)
    with transaction.atomic():
        CampaignKind.objects.select_for_update().get(pk=kind.pk)
        current = KindVersion.objects.select_for_update().filter(kind=kind).order_by("-number").first()
        digest = fingerprint(definition)
        if current.fingerprint == digest:
            return current
        if base is not None and current.fingerprint != base:
            raise RuleViolation(_("Someone else saved this kind since you opened it. Your entries are kept below: "
                                  "open the kind again in another tab to see their change, then save yours."))
        if current.in_use:
            version = KindVersion.objects.create(kind=kind, number=current.number + 1, title=definition["title"],
                                                 definition=definition, fingerprint=digest, created_by=actor)
            code = action or NEW_VERSION
        else:
            current.title, current.definition, current.fingerprint = definition["title"], definition, digest
            current.save(update_fields=["title", "definition", "fingerprint"])
            version, code = current, action or REVISED
        log_action(kind, code, actor=actor, organisation=kind.district, role=ADMIN_ROLE, ip=ip,
                   data={"version": version.number, "title": version.title, "fingerprint": digest})
    return version


def mark_in_use(version):
    """Called in the transaction that starts the first campaign on
    `version`: from then on it never changes."""
    KindVersion.objects.filter(pk=version.pk, in_use=False).update(in_use=True)


def export_kind(version):
    """The file a city union hands to its districts: the kind's code and
    definition, and the fingerprint to compare with what runs elsewhere."""
    payload = {"file": FILE_MARK, "format": FORMAT, "code": version.kind.code, "version": version.number,
               "fingerprint": version.fingerprint, "definition": version.definition}
    return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True).encode()


def read_kind_file(data):
    """(code, definition) from an exported file, or KindProblems naming
    what is wrong with the file itself."""
    try:
        # NaN and Infinity are no JSON a database keeps; a file nested
        # thousands deep is no kind either.
        payload = json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise KindProblems([("", _("This is not a kind-of-campaign file (not JSON)."))])
    if not isinstance(payload, dict) or payload.get("file") != FILE_MARK:
        raise KindProblems([("file", _("This is not a kind-of-campaign file exported by UnionFlow."))])
    code = payload.get("code")
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise KindProblems([("code", _("The kind's code must be letters, digits, - or _, at most 40."))])
    return code, payload.get("definition")


def _refuse_constant(name):
    raise ValueError(name)


def do_import_kind(*, district, data, actor, ip=None):
    """Create the kind from a file, or, when the district already has a
    kind of that code, revise it (a new version when the current one is in
    use). Nothing is written unless the whole file is sound."""
    _require_admin(actor, district)
    code, definition = read_kind_file(data)
    _check(definition, district)
    with transaction.atomic():
        existing = CampaignKind.objects.filter(district=district, code=code).first()
        if existing is None:
            version = do_create_kind(district=district, code=code, definition=definition, actor=actor, ip=ip)
            log_action(version.kind, IMPORTED, actor=actor, organisation=district, role=ADMIN_ROLE, ip=ip,
                       data={"version": version.number, "fingerprint": version.fingerprint})
            return version
        return do_revise_kind(kind=existing, definition=definition, actor=actor, ip=ip, action=IMPORTED)


def kinds_of(user):
    """The kinds a user may see: those of the districts they administer
    (none for anyone else)."""
    return CampaignKind.objects.filter(district__in=administered_districts(user)).prefetch_related("versions")

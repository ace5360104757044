"""What a campaign of a kind ends in: the certificate a granting decision
issues (through the engine's document path: numbered, QR-verifiable,
revocable), the approved list and the payment list.

Lock order (docs/lock-order.md): a final decision locks the campaign row
first (`lock_first`, declared in declaration.py), then the engine locks the
case; the certificate's number is counted under the campaign's lock, so two
grants at the same moment never share a number."""

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.audit import log_action
from workflows.conflicts import retry_on_conflict
from workflows.dataforms.palette import PALETTE
from workflows.exceptions import AlreadyHandled, NotAllowed, RuleViolation
from workflows.models import Certificate, CertificateStatus, MixRule, OrgKind
from workflows.organisations.access import memberships
from workflows.organisations.administration import administered_district
from workflows.documents.issuing import issue_certificate as issue
from workflows.documents.series import register_series_titles, series_titles
from workflows.rowlocks import lock_related_first, locked_related, mark_locked

from .models import KindCampaign, KindCase, KindCaseState

CERTIFICATE_ISSUED = "kinds.certificate.issued"
LIST_ROLES = (Role.DISTRICT_ADMIN, Role.REVIEWER)


SERIES_PREFIX = "kinds-"


def series_of(campaign):
    """The certificate series of a campaign: numbers are unique in it. Its
    code when it has one (a May Day campaign carried into kinds keeps its
    series, and so its numbers and reissues), else `kinds-<pk>`."""
    return campaign.code or f"{SERIES_PREFIX}{campaign.pk}"


def code_problem(code):
    """Why `code` cannot name a new campaign's series, or None: `new` is
    reserved (as May Day's), `kinds-<n>` is an uncoded campaign's series,
    and a code another campaign (of kinds or of another process) or an
    issued certificate already names would share a counter."""
    if code == "new":
        return _("This code is reserved; choose another.")
    if code.startswith(SERIES_PREFIX) or KindCampaign.objects.filter(code=code).exists() \
            or Certificate.objects.filter(series=code).exists() or dict(series_titles([code]))[code] != code:
        return _("This code is taken; choose another.")
    return None


def campaign_certificates(campaign):
    """The campaign's valid certificates in number order: what printing
    the whole campaign prints."""
    return Certificate.objects.filter(series=series_of(campaign), status=CertificateStatus.VALID).order_by("sequence")


def certificate_spec(case):
    return (case.kind_version.definition.get("ends_in") or {}).get("certificate") or None


def lock_first(case, code):
    """Before the case's row: the campaign's, for a final decision (its
    certificate's number is counted on it, its mix rules checked under it).
    Kept on the case, marked as locked, so issuing uses this copy. Read in
    the same statement: its district (the certificate's issuing
    organisation) and whether it has mix rules (the check asks:
    workflows.mixrules.services.check_decision)."""
    if code.startswith("outcome_"):
        rules = MixRule.objects.filter(scope_type=ContentType.objects.get_for_model(KindCampaign),
                                       scope_id=OuterRef("pk"))
        lock_related_first(case, "campaign", KindCampaign.objects.select_related("district").annotate(
            has_mix_rules=Exists(rules)))


def award_title(spec, campaign):
    """The version's award title with the campaign's year in place of
    `{year}` ("{year}年度五一劳动奖章", as May Day titles its awards).
    Replaced, not formatted: a title is checked for no other placeholder
    (definition.py) and a brace in it prints as typed."""
    return spec["title"].replace("{year}", str(campaign.year))


def wording_of(case, spec, campaign):
    """The version's wording with the case's values in place. Placeholders
    were checked when the kind was saved (definition.py)."""
    return spec["wording"].format(name=case.name, union=case.organisation.name, year=campaign.year,
                                  title=award_title(spec, campaign), campaign=campaign.title)


def issue_certificate(case, actor, *, unless_held=True):
    """In the granting decision's transaction: the campaign's next number
    and the certificate; its PDF is owed to the outbox, rendered after the
    commit (and on first download if the worker has not got to it). Does
    nothing when the version's ending has no certificate or (`unless_held`)
    the case holds a valid one already. Without `unless_held` (the grant:
    a case is granted once, under its row's lock) that is not asked, and
    the database's one-valid-certificate-per-case constraint
    (workflows.Certificate, one_valid_certificate_per_case) refuses a
    second one, rolling the decision back."""
    spec = certificate_spec(case)
    if spec is None:
        return None
    campaign = locked_related(case, "campaign")
    content_type = ContentType.objects.get_for_model(KindCase)
    if unless_held and Certificate.objects.filter(content_type=content_type, object_id=case.pk,
                                                  status="valid").exists():
        return None
    series = series_of(campaign)
    last = Certificate.objects.filter(series=series).order_by("-sequence").values_list("sequence", flat=True).first()
    seq = (last or 0) + 1
    return issue(
        subject=case, action=CERTIFICATE_ISSUED, actor=actor, organisation=campaign.district, series=series,
        sequence=seq, number=spec["number_format"].format(year=campaign.year, seq=seq), holder_name=case.name,
        award_title=award_title(spec, campaign), wording=wording_of(case, spec, campaign), issuer=spec["issuer"],
        layout=spec["layout"], owner_organisation=case.organisation)


def after_final_decision(case, actor):
    """Called from the declaration's after_decision, in the transaction."""
    if case.state == KindCaseState.GRANTED:
        issue_certificate(case, actor, unless_held=False)


def certificates_of(case):
    return Certificate.objects.filter(content_type=ContentType.objects.get_for_model(KindCase),
                                      object_id=case.pk).order_by("-created", "-pk")


# Lists -----------------------------------------------------------------------

def may_see_lists(user, campaign):
    """The district's administrator and reviewers, and an intermediate
    union's reviewers (their branch's rows only, by the case selector)."""
    for m in memberships(user):
        if m.role not in LIST_ROLES:
            continue
        org = m.organisation
        if org.kind in (OrgKind.DISTRICT, OrgKind.INTERMEDIATE) and org.ancestor_ids[:1] == [campaign.district_id]:
            return True
    return False


def granted_cases(user, campaign):
    """The granted cases `user` sees (None: all of them)."""
    from .selectors import cases_visible_to

    cases = KindCase.objects.select_related("organisation") if user is None else cases_visible_to(user)
    return cases.filter(campaign=campaign, state=KindCaseState.GRANTED).order_by("organisation__path", "pk")


def _public_fields(version):
    return [f for f in version.definition["fields"] if f.get("public") and f["type"] not in
            ("id_number", "mobile", "file")]


def _outcome_labels(version):
    return {o["value"]: o["label"] for o in version.definition["route"]["outcomes"]}


def _shown(spec, value):
    # As the case's page and the notice show it: a choice by its label, a
    # yes or no in words, an amount in yuan, an organisation by its name.
    return PALETTE[spec["type"]].shown(value, spec=spec)


def ending_of(campaign):
    """What the campaign ends in, over the kinds it offers: a list or
    certificates when any offered version's ending has them."""
    endings = [version.definition.get("ends_in") or {} for version in campaign.offered_versions]
    return {key: any(ending.get(key) for ending in endings)
            for key in ("certificate", "approved_list", "payment_list")}


def _by_kind(cases, versions):
    """{version pk: [case]} of `cases`, for each of `versions`."""
    grouped = {version.pk: [] for version in versions}
    for case in cases:
        if case.kind_version_id in grouped:
            grouped[case.kind_version_id].append(case)
    return grouped


def _by_union(cases, row):
    """[(union name, [row(n, case)])] of cases in the union's order,
    numbered across the kind."""
    groups = []
    for n, case in enumerate(cases, start=1):
        if not groups or groups[-1][0] != case.organisation.name:
            groups.append((case.organisation.name, []))
        groups[-1][1].append(row(n, case))
    return groups


def approved_list(user, campaign):
    """The campaign's granted cases the user sees, kind by kind (those
    whose ending has the list or certificates), each grouped per union:
    [(version, headers, [(union name, rows)])]. A kind ending in
    certificates lists each case's valid certificate number (blank while
    it has none)."""
    from workflows.documents.round_certificates import valid_certificates_of

    versions = [v for v in campaign.offered_versions
                if (v.definition.get("ends_in") or {}).get("approved_list")
                or (v.definition.get("ends_in") or {}).get("certificate")]
    cases = list(granted_cases(user, campaign))
    numbers = {pk: certificate.number for pk, certificate in valid_certificates_of(cases).items()}
    grouped = _by_kind(cases, versions)
    sections = []
    for version in versions:
        fields, labels = _public_fields(version), _outcome_labels(version)
        numbered = bool((version.definition.get("ends_in") or {}).get("certificate"))
        headers = ([_("No."), _("Union"), _("Applicant or candidate"), _("Outcome")]
                   + ([_("Certificate number")] if numbered else []) + [f["label"] for f in fields])
        sections.append((version, headers, _by_union(grouped[version.pk], lambda n, case: (
            [n, case.organisation.name, case.name, labels.get(case.outcome, case.outcome)]
            + ([numbers.get(case.pk, "")] if numbered else [])
            + [_shown(f, case.answers.get(f["key"])) for f in fields]))))
    return sections


def money_field(version):
    """The money field the payment list pays: the one the ending names, or
    the form's only one (definition.py refuses a guess among several)."""
    paid = (version.definition.get("ends_in") or {}).get("payment_field")
    return next((f for f in version.definition["fields"] if f["type"] == "money"
                 and (paid is None or f["key"] == paid)), None)


def _amount(value):
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")


def payment_list(user, campaign):
    """The granted cases with their amount, for each kind whose ending has
    a payment list, grouped per union with its subtotal, and the kind's
    total: [(version, field, groups, total)] where groups are (union name,
    [(name, amount)], subtotal)."""
    versions = [v for v in campaign.offered_versions
                if (v.definition.get("ends_in") or {}).get("payment_list") and money_field(v)]
    grouped = _by_kind(granted_cases(user, campaign), versions)
    sections = []
    for version in versions:
        field = money_field(version)
        groups, total = [], Decimal("0.00")
        for case in grouped[version.pk]:
            amount = _amount(case.answers.get(field["key"]))
            if not groups or groups[-1][0] != case.organisation.name:
                groups.append([case.organisation.name, [], Decimal("0.00")])
            groups[-1][1].append((case.name, amount))
            groups[-1][2] += amount
            total += amount
        sections.append((version, field, [tuple(g) for g in groups], total))
    return sections


def campaign_titles(codes):
    """{certificate series: campaign title} for the engine's certificate
    list filter (workflows.documents.series), in one query: a coded
    campaign's series is its code, an uncoded one's `kinds-<pk>`."""
    codes = list(codes)
    ids = {int(code.removeprefix(SERIES_PREFIX)): code for code in codes
           if code.startswith(SERIES_PREFIX) and code.removeprefix(SERIES_PREFIX).isdigit()}
    titles = {}
    for pk, code, title in KindCampaign.objects.filter(Q(pk__in=ids) | Q(code__in=codes)).values_list(
            "pk", "code", "title"):
        series = code or f"{SERIES_PREFIX}{pk}"
        if series in codes:
            titles[series] = title
    return titles


register_series_titles(campaign_titles)


# Reissue ---------------------------------------------------------------------

CERTIFICATE_REISSUED = "kinds.certificate.reissued"


@retry_on_conflict
def certificate_reissue(*, certificate, actor, comment="", ip=None):
    """A revoked certificate of a granted case is replaced by a new one
    with the campaign's next number (the revoked one stays revoked).
    District administrator only. Locks as a grant does: the campaign, the
    case, then the certificate."""
    if administered_district(actor, certificate.owner_organisation) is None:
        raise NotAllowed(_("Only the district administrator can reissue a certificate."))
    campaign_id = KindCase.objects.filter(pk=certificate.object_id).values_list("campaign_id", flat=True).first()
    with transaction.atomic():
        campaign = KindCampaign.objects.select_for_update().filter(pk=campaign_id).first()
        case = KindCase.objects.select_for_update().get(pk=certificate.object_id)
        if campaign is not None:
            KindCase.campaign.field.set_cached_value(case, mark_locked(campaign))
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.is_revoked:
            raise RuleViolation(_("Only a revoked certificate can be reissued."))
        if case.state != KindCaseState.GRANTED:
            raise RuleViolation(_("Only a granted case can receive a certificate."))
        new = issue_certificate(case, actor)
        if new is None:
            raise AlreadyHandled(_("This case already has a valid certificate."))
        log_action(case, CERTIFICATE_REISSUED, actor=actor, organisation=case.campaign.district,
                   role=Role.DISTRICT_ADMIN, comment=comment, ip=ip,
                   data={"certificate": new.number, "certificate_id": new.pk, "replaces": locked.number,
                         "replaces_id": locked.pk})
    return new

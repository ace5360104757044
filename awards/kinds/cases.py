"""Campaigns of a kind and their cases: opening a campaign, handing a case
in, the outcome of the final decision and who reads ID numbers in full.

Every state change goes through the engine's one service, along the route
declared in declaration.py. Lock order (docs/lock-order.md): the kind's
version row, then the campaign; a case's own row is the engine's."""

import datetime

from django.utils import timezone

from django.db import transaction
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.attachments.services import attach
from workflows.audit import log_action
from workflows.dataforms.definition import build_form_class, shown_answers, stored_answers
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role
from workflows.organisations.hats import district_admin_hat, hat_in
from workflows.scoring.standards import version_take
from workflows.steps import decisions

from . import selectors, services
from .declaration import first_transition, withdraw_transition
from .outcomes import outcome_choices, outcome_label, outcome_of, record_outcome  # noqa: F401 (the service's names)
from .models import CAMPAIGN_OPENED, CampaignOffer, KindCampaign, KindCase, KindCaseRound, KindCaseState, KindVersion
from .scoring import inspectors_needed
from .selectors import unions_reached

CASE_SAVED = "kinds.case.saved"
IDENTITY_VIEWED = "kinds.case.identity_viewed"


def do_open_campaign(*, versions, year, title, deadline, actor, standard_version=None, ip=None):
    """Open a campaign offering `versions` (one version of each of one or
    more of the district's kinds, in the order given). The first campaign
    of a version marks it in use in the same transaction: from then on the
    version never changes, and editing the kind makes the next one. When
    any offered route has scoring the campaign needs `standard_version`,
    one of the district's scoring standards' versions (revising the
    standard then makes a new one)."""
    versions = list(versions)
    if not versions:
        raise RuleViolation(_("Choose at least one kind of campaign to offer."))
    district = versions[0].kind.district
    hat = district_admin_hat(actor, district)
    if hat is None or hat.organisation.pk != district.pk:
        raise NotAllowed(_("Only the district administrator opens a campaign of a kind."))
    if any(v.kind.district_id != district.pk for v in versions):
        raise RuleViolation(_("A campaign offers only kinds of its own district."))
    if len({v.kind_id for v in versions}) != len(versions):
        # CampaignOffer's constraints cannot say it: refused here.
        raise RuleViolation(_("A campaign offers each kind once, on one version."))
    if deadline < datetime.date(year, 1, 1):
        raise RuleViolation(_("The submission deadline must fall in or after the campaign's year."))
    if not any(inspectors_needed(v) for v in versions):
        standard_version = None
    elif standard_version is None or standard_version.standard.district_id != district.pk:
        raise RuleViolation(_("A kind offered has scoring in its route: choose one of the district's scoring "
                              "standards."))
    with transaction.atomic():
        # In pk order, so two campaigns opened at once on the same versions
        # never wait on each other crosswise.
        locked = {v.pk: v for v in KindVersion.objects.select_for_update().filter(pk__in=[v.pk for v in versions])
                  .order_by("pk")}
        if standard_version is not None:
            # As a revision of the standard locks it: that revision either
            # ends first or then sees this version in use (the engine's rule).
            version_take(standard_version)
        campaign = KindCampaign.objects.create(district=district, year=year, title=title, deadline=deadline,
                                               opened_by=actor, standard_version=standard_version)
        CampaignOffer.objects.bulk_create(CampaignOffer(campaign=campaign, version=locked[v.pk], position=n)
                                          for n, v in enumerate(versions))
        for version in locked.values():
            services.mark_in_use(version)
        log_action(campaign, CAMPAIGN_OPENED, actor=actor, hat=hat, ip=ip,
                   data={"campaign": campaign.pk, "version": versions[0].number,
                         "kinds": [[v.kind.code, v.number] for v in versions], "year": year, "title": title,
                         "unions": unions_reached(district).count(),
                         **({"standard": str(standard_version)} if standard_version else {})})
    return campaign


def offered(campaign, version=None):
    """`version` when the campaign offers it; the campaign's one version
    when none is named and it offers one; else RuleViolation."""
    versions = campaign.offered_versions
    if version is None and len(versions) == 1:
        return versions[0]
    if version is None:
        raise RuleViolation(_("Choose the kind the case is handed in under."))
    if version.pk not in {v.pk for v in versions}:
        raise RuleViolation(_("This campaign does not offer this kind."))
    return version


def form_class(case_or_version, organisations=None):
    version = getattr(case_or_version, "kind_version", case_or_version)
    return build_form_class(version.definition["fields"], organisations=organisations)


def _uploads(version, form):
    from workflows.attachments.services import from_upload

    return [from_upload(form.cleaned_data[spec["key"]], kind=spec["key"])
            for spec in version.definition["fields"]
            if spec["type"] == "file" and form.cleaned_data.get(spec["key"])]


def _may_apply(actor, organisation, campaign):
    if not has_role(actor, Role.SUBMITTER, organisation):
        raise NotAllowed(_("Only the union's submitter hands in a case."))
    if not unions_reached(campaign.district).filter(pk=organisation.pk).exists():
        raise NotAllowed(_("This union is not reached by the campaign."))


def do_create_case(*, campaign, organisation, name, form, actor, submit=False, version=None, ip=None):
    """A new case in `campaign` under `version`, one of the versions it
    offers (may be left out when it offers one), from a valid form of that
    version, saved as a draft or handed in at once."""
    _may_apply(actor, organisation, campaign)
    version = offered(campaign, version)
    if submit and campaign.deadline < timezone.localdate():
        raise RuleViolation(_("The campaign's submission deadline has passed."))
    attachments = _uploads(version, form)
    with transaction.atomic():
        case = KindCase.objects.create(campaign=campaign, kind_version=version, organisation=organisation,
                                       name=name, answers=stored_answers(version.definition["fields"],
                                                                         form.cleaned_data),
                                       created_by=actor)
        attach(case, attachments, actor=actor)
        log_action(case, CASE_SAVED, actor=actor, hat=hat_in(actor, Role.SUBMITTER, organisation), ip=ip,
                   data={"version": version.number, "attachments": sorted({a.kind for a in attachments})})
        if submit:
            do_submit_case(case=case, actor=actor, ip=ip)
    return case


def do_submit_case(*, case, actor, version=None, ip=None):
    """Hand a draft in, to the first step its version has."""
    if case.state != KindCaseState.DRAFT:
        raise RuleViolation(_("This case has been handed in already."))
    if case.campaign.deadline < timezone.localdate():
        raise RuleViolation(_("The campaign's submission deadline has passed."))
    from .quotas import check_case_places

    def check(locked):
        # The places are checked under the case's lock, before the change
        # (docs/lock-order.md: the quota rows after the case's).
        check_case_places(locked)
        locked.round = 1

    return decisions.do_transition(case=case, actor=actor, code=first_transition(case), version=version, ip=ip,
                                   check=check)


def do_resubmit_case(*, case, form, actor, version=None, ip=None, comment=""):
    """The union hands a returned case in again with revised answers (a
    valid form of the case's version) and, as `comment`, what it changed
    (required where the version says so; kept on the audit entry, which the
    case's history shows): the round handed in before is kept
    (KindCaseRound), the case holds the new answers and goes to the first
    step of its route again."""
    if case.state != KindCaseState.RETURNED:
        raise RuleViolation(_("Only a case returned for revision is handed in again."))
    if not has_role(actor, Role.SUBMITTER, case.organisation):
        raise NotAllowed(_("Only the union's submitter hands in a case."))
    fields = case.kind_version.definition["fields"]
    answers = stored_answers(fields, form.cleaned_data)
    # New files join the case's attachments; those handed in before stay.
    attachments = _uploads(case.kind_version, form)
    with transaction.atomic():
        # The decision below locks the case's row and checks the state and
        # version the submitter saw; this transaction holds it from here.
        locked = KindCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != KindCaseState.RETURNED:
            raise RuleViolation(_("Only a case returned for revision is handed in again."))
        from .revisions import files_of

        # The files of the round kept, so the case's page says which the new one added.
        KindCaseRound.objects.create(case=locked, round=locked.round, answers=locked.answers,
                                     attachments=files_of(locked), created_by=actor)
        KindCase.objects.filter(pk=case.pk).update(answers=answers, round=locked.round + 1)
        case.answers, case.round = answers, locked.round + 1
        attach(case, attachments, actor=actor)
        decisions.decide(case=case, actor=actor, decision="resubmit", version=version, ip=ip, comment=comment,
                         data={"round": case.round})
    return case


def do_withdraw_case(*, case, actor, version=None, comment="", ip=None):
    """The union takes its case back while its version allows it
    (route.withdraw_until; its place, if any, is freed)."""
    return decisions.do_transition(case=case, actor=actor, code=withdraw_transition(case), version=version,
                                   comment=comment, ip=ip)


def return_comment(case):
    """The reviewer's comment of the case's latest return."""
    from workflows.audit import history_of

    entry = history_of(case).filter(action="kinds.case.returned").last()
    return entry.comment if entry else ""


def rounds_of(case):
    """The rounds handed in before the current one, oldest first, with the
    answers as the case's page shows them (masked)."""
    fields = case.kind_version.definition["fields"]
    return [(r, shown_answers(fields, r.answers, full_identity=False)) for r in case.rounds.select_related("created_by")]


def identity_grant(user, case):
    """(organisation, role) under which `user` reads ID and mobile numbers
    in full, or None (selectors.identity_grant: the district and the
    departments asked for a sign-off)."""
    return selectors.identity_grant(user, case)


def answers_shown(case, *, actor=None, full=False, ip=None):
    """The case's answers as (label, text), masked unless `full`, which is
    allowed to the district and the departments asked for a sign-off
    (identity_grant) and recorded in the case's history."""
    if full:
        grant = identity_grant(actor, case)
        if grant is None:
            raise NotAllowed(_("Only the district and the departments asked for a sign-off read ID and mobile "
                              "numbers in full."))
        organisation, role = grant
        log_action(case, IDENTITY_VIEWED, actor=actor, organisation=organisation, role=role, ip=ip,
                   data={"where": "page"})
    return shown_answers(case.kind_version.definition["fields"], case.answers, full_identity=full)


def has_identity_fields(case):
    return any(spec["type"] in ("id_number", "mobile") for spec in case.kind_version.definition["fields"])

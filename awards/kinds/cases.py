"""Campaigns of a kind and their cases: opening a campaign, handing a case
in, the outcome of the final decision and who reads ID numbers in full.

Every state change goes through the engine's one service, along the route
declared in declaration.py. Lock order (docs/lock-order.md): the kind's
version row, then the campaign; a case's own row is the engine's."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.roles import Role
from workflows.attachments.services import attach
from workflows.audit import log_action
from workflows.audited_edits import edit_locked
from workflows.conflicts import retry_on_conflict
from workflows.dataforms.definition import build_form_class, shown_answers, stored_answers
from workflows.dataforms.palette import SectorField
from workflows.exceptions import NotAllowed, RuleViolation
from workflows.organisations.access import has_role
from workflows.organisations.hats import district_admin_hat, hat_in
from workflows.scoring.standards import version_take
from workflows.steps import decisions

from . import selectors, services
from .declaration import first_transition, withdraw_transition
from .endings import code_problem
from .outcomes import outcome_choices, outcome_label, outcome_of, record_outcome  # noqa: F401 (the service's names)
from .models import (CAMPAIGN_CORRECTED, CAMPAIGN_OPENED, CASE_EDITED, CampaignOffer, KindCampaign, KindCase,
                     KindCaseRound, KindCaseState, KindVersion)
from .scoring import inspectors_needed
from .selectors import unions_reached

CASE_SAVED = "kinds.case.saved"
IDENTITY_VIEWED = "kinds.case.identity_viewed"

# What the district administrator may correct on a running campaign (C4);
# the kinds offered and their versions never change once a case exists.
CORRECTABLE = ("title", "deadline")

# A case that holds its person's place in the campaign (N10): handed in and
# not ended without the honour. As May Day's ACTIVE_STATES: a draft holds
# nothing yet, a case returned for revision still does, and a granted one
# keeps it (the person is not nominated twice in one campaign).
INACTIVE = (KindCaseState.DRAFT, KindCaseState.WITHDRAWN, KindCaseState.REJECTED, KindCaseState.NOT_GRANTED)


def end_of_day(day):
    """A deadline given as a day: its last minute, local time (23:59)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def deadline_text(campaign):
    return timezone.localtime(campaign.deadline).strftime("%Y-%m-%d %H:%M")


def check_open(campaign):
    """RuleViolation naming the deadline once its minute has passed."""
    if not campaign.is_open:
        raise RuleViolation(_("The submission deadline (%(deadline)s) has passed.")
                            % {"deadline": deadline_text(campaign)})


def do_open_campaign(*, versions, year, title, deadline, actor, standard_version=None, code=None, ip=None):
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
    if not isinstance(deadline, datetime.datetime):
        deadline = end_of_day(deadline)
    if deadline <= timezone.now():
        raise RuleViolation(_("The submission deadline must be in the future."))
    if timezone.localtime(deadline).year < year:
        raise RuleViolation(_("The submission deadline must fall in or after the campaign's year."))
    problem = code and code_problem(code)
    if problem:
        raise RuleViolation(problem)
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
        try:
            # A savepoint: two openings racing for one code, the second is told.
            with transaction.atomic():
                campaign = KindCampaign.objects.create(district=district, year=year, title=title, deadline=deadline,
                                                       opened_by=actor, standard_version=standard_version,
                                                       code=code or None)
        except IntegrityError:
            raise RuleViolation(_("This code is taken; choose another.")) from None
        CampaignOffer.objects.bulk_create(CampaignOffer(campaign=campaign, version=locked[v.pk], position=n)
                                          for n, v in enumerate(versions))
        for version in locked.values():
            services.mark_in_use(version)
        log_action(campaign, CAMPAIGN_OPENED, actor=actor, hat=hat, ip=ip,
                   data={"campaign": campaign.pk, "version": versions[0].number,
                         "kinds": [[v.kind.code, v.number] for v in versions], "year": year, "title": title,
                         **({"code": code} if code else {}),
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


def answers_of(fields, form, organisation):
    """The answers of a valid form of `fields` as the case stores them; the
    sector of the unit left blank is stored as the applying union's (as May
    Day's nomination was), so that the case keeps the sector it was saved
    with, and the sign-offs and the mix rules read it whatever the union's
    sector becomes later. A union of no sector leaves it blank."""
    answers = stored_answers(fields, form.cleaned_data)
    for spec in fields:
        if spec["type"] == SectorField.code and not answers.get(spec["key"]):
            answers[spec["key"]] = organisation.sector or ""
    return answers


def _uploads(version, form):
    """The attachments to save from `form`: the files kept from an earlier
    post (workflows.dataforms.held_files: `held_attachments`) and the new
    ones, several per field where the field takes several, each of the
    kind of its field's key. The new ones are listed on the form, so that
    a page saving in held_files.saving removes their files on failure."""
    from workflows.attachments.fields import cleaned_uploads
    from workflows.attachments.services import from_upload

    made = [from_upload(upload, kind=spec["key"]) for spec in version.definition["fields"]
            if spec["type"] == "file" for upload in cleaned_uploads(form, spec["key"])]
    form.made_attachments = made
    return list(getattr(form, "held_attachments", [])) + made


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
    if submit:
        check_open(campaign)
    answers = answers_of(version.definition["fields"], form, organisation)
    # Said at saving already; binding only at the hand-in, under the lock.
    check_unique_person(KindCase(campaign=campaign, kind_version=version, name=name, answers=answers))
    attachments = _uploads(version, form)
    with transaction.atomic():
        if submit:
            _lock_campaign_first(campaign, version)
        case = KindCase.objects.create(campaign=campaign, kind_version=version, organisation=organisation,
                                       name=name, answers=answers, created_by=actor)
        attach(case, attachments, actor=actor)
        log_action(case, CASE_SAVED, actor=actor, hat=hat_in(actor, Role.SUBMITTER, organisation), ip=ip,
                   data={"version": version.number, "attachments": sorted({a.kind for a in attachments})})
        if submit:
            do_submit_case(case=case, actor=actor, ip=ip)
    return case


@retry_on_conflict
def do_submit_case(*, case, actor, version=None, ip=None):
    """Hand a draft in, to the first step its version has."""
    if case.state != KindCaseState.DRAFT:
        raise RuleViolation(_("This case has been handed in already."))
    check_open(case.campaign)
    from .quotas import check_case_places

    def check(locked):
        # The places are checked under the case's lock, before the change
        # (docs/lock-order.md: the quota rows after the case's); the person
        # under the campaign's, taken before the case's (_lock_campaign_first).
        check_open(campaign)
        check_case_places(locked)
        check_unique_person(locked)
        locked.round = 1
        # Saved with the move (the engine saves the locked row): the list's
        # "submitted on"; a resubmission after a return keeps it.
        locked.submitted_at = timezone.now()

    with transaction.atomic():
        campaign = _lock_campaign_first(case.campaign, case.kind_version) or case.campaign
        return decisions.do_transition(case=case, actor=actor, code=first_transition(case), version=version,
                                       ip=ip, check=check)


def unique_person(version):
    """Does the version's route allow one active case per person in a
    campaign (route.unique_person, May Day's rule)?"""
    return bool(version.definition["route"].get("unique_person"))


def _id_field(version):
    return next((spec["key"] for spec in version.definition["fields"] if spec["type"] == "id_number"), None)


def _lock_campaign_first(campaign, version):
    """Under a version whose person is unique in the campaign, lock the
    campaign's row before the case's (docs/lock-order.md, 1: the scope row):
    two hand-ins of the same person then take turns, and the second sees
    the first's case active. Returns the locked campaign, or None."""
    if not unique_person(version):
        return None
    locked = KindCampaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    return locked


def same_person(case):
    """The campaign's active cases (INACTIVE left out) of `case`'s person,
    other than `case`: by the answer of the ID-number field, across the
    offered versions that have one and the rule; a version without an
    ID-number field (a unit, a team) by the same name under the same version."""
    version = case.kind_version
    others = KindCase.objects.filter(campaign_id=case.campaign_id).exclude(state__in=INACTIVE)
    if case.pk:
        others = others.exclude(pk=case.pk)
    key = _id_field(version)
    if key is None:
        return others.filter(kind_version=version, name=case.name)
    number = (case.answers or {}).get(key)
    if not number:
        return others.none()
    # Each version names its ID-number field itself: one filter each.
    matches = others.none()
    for offered_version in case.campaign.offered_versions:
        other_key = _id_field(offered_version)
        if other_key is not None and unique_person(offered_version):
            matches = matches | others.filter(kind_version=offered_version, **{f"answers__{other_key}": number})
    return matches


def check_unique_person(case):
    """RuleViolation when the version has the rule and the person holds an
    active case in the campaign already."""
    if unique_person(case.kind_version) and same_person(case).exists():
        raise RuleViolation(_("%(name)s is already nominated in this campaign.") % {"name": case.name})


@retry_on_conflict
def do_edit_case(*, case, name, form, actor, submit=False, version=None, ip=None):
    """The union's submitter edits a draft (a valid form of its version and
    the applicant's name) and may hand it in from the same form. The draft
    is checked and changed under its row's lock; its version moves on, so a
    page showing the old answers hands in nothing (`version`: the one that
    page showed). New files join the case's; those attached before stay."""
    if not has_role(actor, Role.SUBMITTER, case.organisation):
        raise NotAllowed(_("Only the union's submitter hands in a case."))
    if case.state != KindCaseState.DRAFT:
        raise RuleViolation(_("This case has been handed in already: only a draft is edited."))
    if submit:
        check_open(case.campaign)
    fields = case.kind_version.definition["fields"]
    answers = answers_of(fields, form, case.organisation)
    check_unique_person(KindCase(pk=case.pk, campaign=case.campaign, kind_version=case.kind_version, name=name,
                                 answers=answers))
    attachments = _uploads(case.kind_version, form)
    with transaction.atomic():
        if submit:
            _lock_campaign_first(case.campaign, case.kind_version)
        locked = KindCase.objects.select_for_update(of=("self",)).get(pk=case.pk)
        if locked.state != KindCaseState.DRAFT:
            raise RuleViolation(_("This case has been handed in already: only a draft is edited."))
        if version not in (None, "") and str(locked.version) != str(version):
            raise RuleViolation(_("Someone changed this draft meanwhile: nothing was saved. Reload the page."))
        changed = sorted(spec["key"] for spec in fields
                         if spec["type"] != "file" and locked.answers.get(spec["key"]) != answers.get(spec["key"]))
        KindCase.objects.filter(pk=case.pk).update(answers=answers, name=name, version=F("version") + 1)
        case.answers, case.name, case.version = answers, name, locked.version + 1
        attach(case, attachments, actor=actor)
        log_action(case, CASE_EDITED, actor=actor, hat=hat_in(actor, Role.SUBMITTER, case.organisation), ip=ip,
                   data={"fields": changed, "attachments": sorted({a.kind for a in attachments}),
                         **({"name": [locked.name, name]} if locked.name != name else {})})
        if submit:
            do_submit_case(case=case, actor=actor, ip=ip)
    return case


def do_correct_campaign(*, campaign, changes, actor, ip=None):
    """The district administrator corrects the title or the deadline of a
    running campaign (C4): judged again on the locked row, one audit entry
    with each changed field's old and new value (workflows.audited_edits).
    A deadline corrected is a future one, in or after the campaign's year."""
    hat = district_admin_hat(actor, campaign.district)
    if hat is None or hat.organisation.pk != campaign.district_id:
        raise NotAllowed(_("Only the district administrator corrects a campaign."))
    if "deadline" in changes and not isinstance(changes["deadline"], datetime.datetime):
        changes = {**changes, "deadline": end_of_day(changes["deadline"])}

    def check(locked):
        deadline = changes.get("deadline")
        if deadline is not None and deadline != locked.deadline:
            if deadline <= timezone.now():
                raise RuleViolation(_("The submission deadline must be in the future."))
            if timezone.localtime(deadline).year < locked.year:
                raise RuleViolation(_("The submission deadline must fall in or after the campaign's year."))
        if "title" in changes and not str(changes["title"]).strip():
            raise RuleViolation(_("The campaign needs a title."))

    def shown(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime.datetime) \
            else value

    return edit_locked(campaign, changes, fields=CORRECTABLE, check=check, action=CAMPAIGN_CORRECTED,
                       actor=actor, organisation=lambda locked: locked.district, role=Role.DISTRICT_ADMIN,
                       shown=shown, ip=ip)


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
    answers = answers_of(fields, form, case.organisation)
    # New files join the case's attachments; those handed in before stay.
    attachments = _uploads(case.kind_version, form)
    with transaction.atomic():
        # The decision below locks the case's row and checks the state and
        # version the submitter saw; this transaction holds it from here.
        locked = KindCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != KindCaseState.RETURNED:
            raise RuleViolation(_("Only a case returned for revision is handed in again."))
        from .quotas import check_case_places
        from .revisions import files_of

        # The places again, as at the first hand-in (under the case's lock):
        # the district may have given some up while the case was returned.
        check_case_places(locked)

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

"""The carry of the May Day award's data onto campaign kinds
(docs/mayday-as-kinds.md §2): every campaign becomes a campaign of kinds
offering the award's kinds, every nomination a case of a kind, and every
engine row that points at a nomination or a campaign (files, certificates,
places, mix rules, sign-offs, deadlines, notices, the viewflow process and
its tasks) is pointed at its new row.

`forward(apps)` works on the models `apps` gives (a migration's historical
models; the tests pass the live registry) and reads of the application
only the starters (data files), the fingerprint of a definition and the
states the kinds tell a creator of, so that it runs the same at the
release and in the tests. It is not wired into a migration
yet: nothing moves on deploy until the switch (§5 step 5).

Invariants the carry keeps (and asserts where the data could differ):
- the audit log is never touched: it is append-only and hash-chained, and
  a carried case reads its past through the history aliases the kinds'
  declaration names (`workflows.history_aliases`);
- a certificate keeps its series, number, token and code, so printed QR
  codes and numbers stay valid; a campaign's next number follows the
  largest one issued (`last_certificate_seq` must equal it, else the carry
  stops, naming the campaign);
- a case keeps its `version` and `round`, so an open form or an API client
  holding the version is still valid, and its rounds keep their answers;
- a campaign keeps its settings: each campaign × award gets the version of
  the starter with the campaign's settings applied, reused by fingerprint
  across campaigns whose settings agree (a version in use never changes)."""

import copy
import datetime
import json

from awards.kinds.services import fingerprint
from awards.kinds.starter_kinds import FOLDER

# May Day's awards in its order, with the starter (and kind code) of each.
AWARDS = (("unit", "mayday-unit"), ("individual", "mayday-individual"), ("team", "mayday-team"))
OFFERS = {"unit": "offers_unit_award", "individual": "offers_individual_award", "team": "offers_team_award"}

STATES = {
    "draft": "draft", "submitted": "confirming", "confirmed": "intermediate",
    "intermediate_approved": "district", "signoff": "signoffs", "awaiting_notice": "awaiting_notice",
    "in_notice": "in_notice", "district_approved": "deciding", "awarded": "granted",
    "not_awarded": "not_granted", "returned": "returned", "rejected": "rejected", "withdrawn": "withdrawn",
}
# May Day's steps (and viewflow nodes) by the kinds' names; nodes not
# named here (start, end, confirm, notice, revise and their `after_`)
# keep their names.
STEPS = {"review_intermediate": "intermediate_review", "review_district": "district_review",
         "signoff": "signoffs", "decide": "decision"}
NODES = {**STEPS, "signoff_split": "signoffs_split", "signoff_join": "signoffs_join",
         **{f"after_{old}": f"after_{new}" for old, new in STEPS.items()}}
# Every node of May Day's flow (awards/mayday/flows.py, built from its declaration).
OLD_NODES = ("start", "after_start", "confirm", "after_confirm", "review_intermediate", "after_review_intermediate",
             "review_district", "after_review_district", "signoff", "signoff_split", "signoff_join",
             "after_signoff", "notice", "after_notice", "decide", "after_decide", "revise", "after_revise", "end")
OLD_FLOW, NEW_FLOW = "awards/mayday.flows.MayDayFlow", "kinds/flows.KindCaseFlow"
# Departments that sign off every enterprise, or state-owned ones only
# (workflows.models.ENTERPRISE_SECTORS, frozen here as the data had it).
ENTERPRISE_SECTORS = ["state_owned", "collective", "non_public"]
# What kinds publish under their own names (the case's fields).
NOTICE_NAMES = {"nominee_name": "name", "organisation": "organisation"}
KIND_COLUMN = "奖项"
FILE_TYPE = "file"
SECTOR_TYPE = "sector"


class CarryError(Exception):
    """The data holds something the carry would lose: nothing is written."""


def starters():
    return {code: json.loads((FOLDER / f"{code}.json").read_text(encoding="utf-8")) for _a, code in AWARDS}


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _district_user(apps, district, campaigns):
    """Who the carried kinds are created by: the opener of one of the
    district's campaigns, else its first administrator."""
    for campaign in campaigns:
        if campaign.created_by_id:
            return campaign.created_by_id
    Membership = apps.get_model("workflows", "Membership")
    membership = Membership.objects.filter(organisation=district, role="district_admin").order_by("pk").first()
    if membership is None:
        raise CarryError(f"District {district.code} has no administrator to own its carried kinds.")
    return membership.user_id


def definition_for(starter, campaign, award, departments):
    """The starter's definition with the campaign's own settings: the
    certificate's number format and issuer, the notice's days and
    published fields, the steps' working days and, for units and
    individuals, the district's sign-off departments."""
    definition = copy.deepcopy(starter)
    route = definition["route"]
    certificate = definition["ends_in"].get("certificate")
    if certificate:
        certificate["number_format"] = campaign.certificate_number_format
        certificate["issuer"] = campaign.issuer or campaign.district.name
    route["notice_days"] = campaign.notice_days
    days = {STEPS.get(step, step): value for step, value in (campaign.step_deadline_days or {}).items()}
    route["deadline_days"] = {**route.get("deadline_days", {}), **{k: v for k, v in days.items()
                                                                    if k in route["steps"] or k == "signoffs"}}
    published = set(campaign.notice_fields or [])
    for spec in definition["fields"]:
        spec["public"] = spec["key"] in published
    if award != "team" and departments:
        route["signoffs"] = departments
        if "signoffs" not in route["steps"]:
            steps = route["steps"]
            steps.insert(steps.index("district_review") + 1, "signoffs")
    return definition


def _departments(apps, district):
    Department = apps.get_model("awards", "Department")
    rows = (Department.objects.filter(active=True, organisation__path__startswith=district.path)
            .select_related("organisation").order_by("organisation__path"))
    return [{"department": d.organisation.code,
             "sectors": ["state_owned"] if d.state_owned_only else list(ENTERPRISE_SECTORS)} for d in rows]


def _version(apps, kind, definition, user_id, created):
    KindVersion = apps.get_model("kinds", "KindVersion")
    print_ = fingerprint(definition)
    version = KindVersion.objects.filter(kind=kind, fingerprint=print_).first()
    if version is None:
        number = (KindVersion.objects.filter(kind=kind).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        version = KindVersion.objects.create(kind=kind, number=number, title=definition["title"],
                                             definition=definition, fingerprint=print_, created_by_id=user_id,
                                             created=created, in_use=True)
    elif not version.in_use:
        version.in_use = True
        version.save(update_fields=["in_use"])
    return version


def answers_of(nomination, fields):
    """The nomination's answers as the version's form stores them: dates as
    ISO text, numbers as numbers, choices as their codes; blank optional
    answers left out, but a blank sector is the nominating union's (as the
    kinds store it, so that a mix rule on the sector counts it)."""
    answers = {}
    for spec in fields:
        if spec["type"] == FILE_TYPE:
            continue
        value = getattr(nomination, spec["key"], None)
        if spec["type"] == SECTOR_TYPE and not value:
            value = nomination.organisation.sector
        if value in (None, ""):
            continue
        answers[spec["key"]] = value.isoformat() if isinstance(value, datetime.date) else value
    return answers


def _round_answers(snapshot, fields):
    keys = {spec["key"] for spec in fields if spec["type"] != FILE_TYPE}
    return {key: value for key, value in snapshot.items() if key in keys and value not in (None, "")}


def _outcome(state, version):
    outcomes = version.definition["route"]["outcomes"]
    wanted = {"awarded": True, "not_awarded": False}.get(state)
    if wanted is None:
        return ""
    return next(o["value"] for o in outcomes if bool(o.get("positive")) == wanted)


def _check_numbers(apps, campaign):
    Certificate = apps.get_model("workflows", "Certificate")
    largest = (Certificate.objects.filter(series=campaign.code).order_by("-sequence")
               .values_list("sequence", flat=True).first() or 0)
    if largest != campaign.last_certificate_seq:
        raise CarryError(f"Campaign {campaign.code}: last certificate number {campaign.last_certificate_seq} "
                         f"but the largest issued is {largest}; the carry would reuse or skip numbers.")


def forward(apps, schema_editor=None, *, log=print):
    """Carry every May Day campaign and nomination; returns
    {old nomination id: new case id}."""
    Campaign = apps.get_model("awards", "Campaign")
    campaigns = list(Campaign.objects.select_related("district").order_by("district__path", "pk"))
    for campaign in campaigns:
        _check_numbers(apps, campaign)
    cases = {}
    by_district = {}
    for campaign in campaigns:
        by_district.setdefault(campaign.district_id, []).append(campaign)
    shapes = starters()
    for district_campaigns in by_district.values():
        district = district_campaigns[0].district
        user_id = _district_user(apps, district, district_campaigns)
        kinds = _kinds(apps, district, user_id, shapes)
        departments = _departments(apps, district)
        for campaign in district_campaigns:
            cases.update(_carry_campaign(apps, campaign, kinds, shapes, departments, user_id))
    _carry_events(apps, cases)
    log(f"Carried {len(campaigns)} May Day campaigns and {len(cases)} nominations onto campaign kinds.")
    return cases


def _kinds(apps, district, user_id, shapes):
    CampaignKind = apps.get_model("kinds", "CampaignKind")
    return {award: CampaignKind.objects.get_or_create(district=district, code=code,
                                                      defaults={"created_by_id": user_id})[0]
            for award, code in AWARDS if code in shapes}


def _carry_campaign(apps, campaign, kinds, shapes, departments, user_id):
    KindCampaign = apps.get_model("kinds", "KindCampaign")
    CampaignOffer = apps.get_model("kinds", "CampaignOffer")
    versions = {}
    for award, code in AWARDS:
        if getattr(campaign, OFFERS[award]):
            definition = definition_for(shapes[code], campaign, award, departments)
            versions[award] = _version(apps, kinds[award], definition, campaign.created_by_id or user_id,
                                       campaign.created)
    new = KindCampaign.objects.create(
        district_id=campaign.district_id, year=campaign.year, title=campaign.title, code=campaign.code,
        deadline=campaign.submission_deadline, opened_by_id=campaign.created_by_id or user_id,
        created=campaign.created)
    for position, (award, _code) in enumerate(AWARDS):
        if award in versions:
            CampaignOffer.objects.create(campaign=new, version=versions[award], position=position)
    _rescope(apps, campaign, new, {award: kinds[award].code for award in kinds})
    mapping = {}
    Nomination = apps.get_model("awards", "Nomination")
    for nomination in Nomination.objects.filter(campaign=campaign).order_by("pk"):
        if nomination.kind not in versions:
            raise CarryError(f"Nomination {nomination.pk} is for an award its campaign {campaign.code} "
                             "does not offer.")
        mapping[nomination.pk] = _carry_nomination(apps, nomination, new, versions[nomination.kind])
    _renotice(apps, campaign, new, mapping, versions)
    return mapping


def _carry_nomination(apps, nomination, campaign, version):
    KindCase = apps.get_model("kinds", "KindCase")
    KindCaseRound = apps.get_model("kinds", "KindCaseRound")
    fields = version.definition["fields"]
    case = KindCase.objects.create(
        campaign=campaign, kind_version=version, organisation_id=nomination.organisation_id,
        name=nomination.nominee_name, answers=answers_of(nomination, fields), state=STATES[nomination.state],
        version=nomination.version, round=nomination.round, outcome=_outcome(nomination.state, version),
        created_by_id=nomination.created_by_id, created=nomination.created,
        carried_from_type=_content_type(apps, "awards", "nomination"), carried_from_id=nomination.pk,
        submitted_at=nomination.submitted_at, decided_at=nomination.decided_at)
    revisions = {r.round: r for r in nomination.revisions.all()}
    for number in range(1, nomination.round):
        revision, replaced_by = revisions.get(number), revisions.get(number + 1)
        if revision is None or replaced_by is None:
            continue
        KindCaseRound.objects.create(case=case, round=number, answers=_round_answers(revision.snapshot, fields),
                                     attachments=revision.snapshot.get("attachments"),
                                     created_by_id=replaced_by.created_by_id, created=replaced_by.created)
    _repoint(apps, nomination.pk, case.pk, fields)
    return case.pk


def _repoint(apps, old_pk, new_pk, fields):
    """Every engine row of the nomination now names the case."""
    old = _content_type(apps, "awards", "nomination")
    new = _content_type(apps, "kinds", "kindcase")
    file_key = next((spec["key"] for spec in fields if spec["type"] == FILE_TYPE), "")
    Attachment = apps.get_model("workflows", "Attachment")
    Attachment.objects.filter(case_type=old, case_id=old_pk, kind="").update(kind=file_key)
    Attachment.objects.filter(case_type=old, case_id=old_pk).update(case_type=new, case_id=new_pk)
    for model in ("Certificate", "SignoffRequest", "NoticeEntry"):
        apps.get_model("workflows", model).objects.filter(content_type=old, object_id=old_pk).update(
            content_type=new, object_id=new_pk)
    TaskDeadline = apps.get_model("workflows", "TaskDeadline")
    for deadline in TaskDeadline.objects.filter(content_type=old, object_id=old_pk):
        deadline.content_type, deadline.object_id = new, new_pk
        deadline.step = STEPS.get(deadline.step, deadline.step)
        deadline.save(update_fields=["content_type", "object_id", "step"])
    _reflow(apps, old, new, old_pk, new_pk)


def _reflow(apps, old, new, old_pk, new_pk):
    """The viewflow process and its tasks (open and finished: the process
    map and the inbox read them) follow the kinds' flow. Rewritten by
    update only: reading a row would import May Day's flow by its
    reference, which is gone at the switch."""
    Process = apps.get_model("viewflow", "Process")
    Task = apps.get_model("viewflow", "Task")
    processes = Process.objects.filter(artifact_content_type=old, artifact_object_id=old_pk)
    tasks = Task.objects.filter(process__in=processes)
    for node in OLD_NODES:
        tasks.filter(flow_task=f"{OLD_FLOW}.{node}").update(flow_task=f"{NEW_FLOW}.{NODES.get(node, node)}")
    tasks.filter(artifact_content_type=old, artifact_object_id=old_pk).update(
        artifact_content_type=new, artifact_object_id=new_pk)
    processes.update(flow_class=NEW_FLOW, artifact_content_type=new, artifact_object_id=new_pk)


def _rescope(apps, campaign, new, codes):
    """Places and mix rules of the campaign now scope the new campaign;
    a category or rule counted by award counts by the kind's code."""
    old = _content_type(apps, "awards", "campaign")
    scope = _content_type(apps, "kinds", "kindcampaign")
    Quota = apps.get_model("workflows", "Quota")
    for award, code in codes.items():
        Quota.objects.filter(scope_type=old, scope_id=campaign.pk, category=award).update(category=code)
    Quota.objects.filter(scope_type=old, scope_id=campaign.pk).update(scope_type=scope, scope_id=new.pk)
    MixRule = apps.get_model("workflows", "MixRule")
    kind_field = "kind_version__kind__code"
    for rule in MixRule.objects.filter(scope_type=old, scope_id=campaign.pk):
        if rule.field == "kind":
            rule.field, rule.values = kind_field, [codes.get(v, v) for v in rule.values]
        if "kind" in (rule.applies_to or {}):
            among = rule.applies_to.pop("kind")
            rule.applies_to[kind_field] = codes.get(among, among)
        rule.scope_type, rule.scope_id = scope, new.pk
        rule.save()


def _renotice(apps, campaign, new, mapping, versions):
    """The campaign's notices now scope the new campaign and are handled by
    the kinds; what each entry published is keyed as the kinds publish it
    (field labels, choices in their printed words), so the public page and
    the objection form read the same Chinese as before."""
    old = _content_type(apps, "awards", "campaign")
    scope = _content_type(apps, "kinds", "kindcampaign")
    PublicNotice = apps.get_model("workflows", "PublicNotice")
    KindCase = apps.get_model("kinds", "KindCase")
    # Labels and printed choices by version: a key may be labelled
    # differently by each award (工作单位 of a person, 注册名称 of a unit).
    labels, printed = {}, {}
    for version in versions.values():
        labels[version.pk] = {spec["key"]: spec["label"] for spec in version.definition["fields"]}
        printed[version.pk] = {spec["key"]: {c["value"]: c["label"] for c in spec.get("choices", ())}
                               for spec in version.definition["fields"]}
    titles = {award: version.title for award, version in versions.items()}

    def key(name, version_pk):
        if name == "kind":
            return KIND_COLUMN
        return NOTICE_NAMES.get(name) or labels[version_pk].get(name, name)

    def value(name, raw, version_pk):
        if name == "kind":
            return titles.get(raw, raw)
        return printed[version_pk].get(name, {}).get(raw, raw)

    for notice in PublicNotice.objects.filter(scope_type=old, scope_id=campaign.pk):
        names = list(notice.published_fields)
        notice.published_fields = list(dict.fromkeys(key(name, version.pk) for version in versions.values()
                                                     for name in names))
        notice.scope_type, notice.scope_id, notice.handler = scope, new.pk, "kinds"
        notice.save(update_fields=["published_fields", "scope_type", "scope_id", "handler"])
        entries = list(notice.entries.all())
        version_of = dict(KindCase.objects.filter(pk__in=[e.object_id for e in entries])
                          .values_list("pk", "kind_version_id"))
        for entry in entries:
            version_pk = version_of[entry.object_id]
            entry.published = {key(name, version_pk): value(name, raw, version_pk)
                               for name, raw in entry.published.items()}
            entry.save(update_fields=["published"])


OLD_EVENT, NEW_EVENT = "workflows.event.progress.mayday.", "workflows.event.progress.kind_case."
CASE_STATE_EVENT = "workflows.event.case_state"


def _event(event, notified):
    """May Day's progress event in the kinds' terms: the same state's
    event where the kinds tell the creator of it (`notified`), else the
    engine's general one (an unregistered event would read blank)."""
    if not event.startswith(OLD_EVENT):
        return event
    state = STATES.get(event[len(OLD_EVENT):])
    return f"{NEW_EVENT}{state}" if state in notified else CASE_STATE_EVENT


def _carry_events(apps, cases):
    """Notifications keep their link (the old address redirects) and read
    the case's model and state in the kinds' terms; channel choices follow
    their events (a choice for an event the kinds lack goes: the general
    event has its own); bulk runs name the kinds' process and cases."""
    from awards.kinds.declaration import KIND_CASE_PROCESS

    notified = {str(state) for state in KIND_CASE_PROCESS.notify_creator_in}
    Notification = apps.get_model("workflows", "Notification")
    for note in Notification.objects.filter(data__model="awards.Nomination"):
        data = dict(note.data)
        data["model"] = "kinds.KindCase"
        if "state" in data:
            data["state"] = STATES.get(data["state"], data["state"])
        note.data, note.event = data, _event(note.event, notified)
        note.save(update_fields=["data", "event"])
    ChannelChoice = apps.get_model("workflows", "ChannelChoice")
    for choice in ChannelChoice.objects.filter(event__startswith=OLD_EVENT):
        event = _event(choice.event, notified)
        taken = ChannelChoice.objects.filter(user_id=choice.user_id, event=event, channel=choice.channel)
        if event == CASE_STATE_EVENT or taken.exists():
            choice.delete()
        else:
            choice.event = event
            choice.save(update_fields=["event"])
    BulkRun = apps.get_model("workflows", "BulkRun")
    BulkRunItem = apps.get_model("workflows", "BulkRunItem")
    old = _content_type(apps, "awards", "nomination")
    new = _content_type(apps, "kinds", "kindcase")
    for item in BulkRunItem.objects.filter(content_type=old):
        item.content_type, item.object_id = new, cases.get(item.object_id, item.object_id)
        item.save(update_fields=["content_type", "object_id"])
    BulkRun.objects.filter(process="mayday").update(process="kind_case")

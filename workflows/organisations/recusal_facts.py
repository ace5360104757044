"""Where the recusal and four-eyes checks (workflows.organisations.recusal.bar)
read what they need: a person's grassroots units, declared conflicts and
principals, and a case's decisions that count as levels.

`LiveFacts` asks the database each time (the decision service, one case).
`PageFacts` loads the same data for a whole inbox page in a fixed number
of queries (the user's memberships, conflicts and delegations once, the
page's audit entries in one query), so the inbox marks each row with the
answer bar() gives without a query per row. `holders_and_substitutes` and
`load_conflicts` read the same facts for everyone who may take a new task
(routing and notifying a decision's next step) in two queries."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from workflows.audit import history_of
from workflows.history_aliases import alias_actions_meaning, alias_q, aliases_of, mean_state, own_q
from workflows.models import AuditEntry, ConflictDeclaration, Delegation, Membership, Organisation, OrgKind
from workflows.organisations.delegation import delegators, on_behalf_of
from workflows.steps.registry import process_for
from workflows.steps.tasks import acting_pair

_UNIT_KINDS = (OrgKind.GRASSROOTS, OrgKind.SUB_UNION)


def level_decisions(case):
    """The audit `decision` codes that judge `case` at one level: the
    decisions of its process's steps that count as a level (reviewing,
    signing off, deciding). Submitting, publishing and findings on
    objections are not levels."""
    process = process_for(case)
    if process is None:
        return ()
    return tuple(sorted({d.code for step in process.steps if step.counts_as_level for d in step.decisions}))


def level_q(case, process=None):
    """The level decisions of `case`'s history (its own entries and its
    history aliases'), for one query."""
    process = process or process_for(case)
    if process is None:
        return Q(pk__in=[])
    return own_q(case) & Q(decision__in=level_decisions(case)) | alias_level_q(process, aliases_of(case, process))


def alias_level_q(process, aliases):
    """The level decisions among the entries of `aliases`, by their action
    codes, which the process maps to its own (`history_code_map`): an
    alias's `decision` codes are another process's short names ("approve"
    at any level), only the dotted action says which level it was."""
    if not aliases:
        return Q(pk__in=[])
    actions = {process.audit_action(d.code, d.action)
               for step in process.steps if step.counts_as_level for d in step.decisions}
    return alias_q(aliases) & Q(action__in=alias_actions_meaning(process, actions))


def _grassroots_of(memberships, ancestors):
    """The grassroots unions of `memberships` (a sub-union counts as its
    grassroots union); `ancestors(org)` lists an organisation's ancestors."""
    units = []
    for m in memberships:
        org = m.organisation
        if org.kind == OrgKind.SUB_UNION:
            org = next((a for a in reversed(ancestors(org)) if a.kind == OrgKind.GRASSROOTS), None) or org
        units.append(org)
    return units


class LiveFacts:
    """Each answer read from the database when asked."""

    def own_grassroots(self, user):
        own = getattr(user, "_unionflow_own_memberships", None)  # read with the holders (recusal)
        cached = getattr(user, "_unionflow_memberships", None)  # read by access.memberships this request
        if own is not None:
            memberships = [m for m in own if m.organisation.kind in _UNIT_KINDS]
        elif cached is not None:
            memberships = [m for m in cached
                           if getattr(m, "delegated_by", None) is None and m.organisation.kind in _UNIT_KINDS]
        else:
            memberships = Membership.objects.filter(user=user, organisation__kind__in=_UNIT_KINDS).select_related(
                "organisation"
            )
        return _grassroots_of(memberships, lambda org: org.ancestors())

    def conflicts(self, user):
        loaded = getattr(user, "_unionflow_conflicts", None)  # read for several users at once (recusal)
        if loaded is not None:
            return list(loaded)
        return list(ConflictDeclaration.objects.filter(user=user).select_related("organisation"))

    def principal(self, user, task):
        return on_behalf_of(user, task)

    def level_entries(self, case):
        return list(history_of(case).filter(level_q(case)))


LIVE = LiveFacts()


def holders_and_substitutes(role, organisation_id):
    """(holders, substitutes): the active holders of `role` at the
    organisation and the active users standing in for one of them today,
    read in one query with every membership of each (kept on the user for
    the recusal checks: `LiveFacts.own_grassroots`). A substitute holds
    some role (else they could stand in for nobody: `delegators`)."""
    today = timezone.localdate()
    holder_ids = Membership.objects.filter(role=role, organisation_id=organisation_id,
                                           user__is_active=True).values("user_id")
    standing_in = Delegation.objects.filter(
        substitute_id=OuterRef("user_id"), principal_id__in=holder_ids, revoked_at__isnull=True,
        starts_on__lte=today, ends_on__gte=today,
    )
    rows = (
        Membership.objects.filter(user__is_active=True)
        .filter(Q(user_id__in=holder_ids) | Q(Exists(standing_in)))
        .annotate(stands_in=Exists(standing_in))
        .select_related("user", "organisation")
        .order_by("user_id", "organisation__path", "role")
    )
    users, own, holders, substitutes = {}, {}, set(), set()
    for m in rows:
        user = users.setdefault(m.user_id, m.user)
        own.setdefault(m.user_id, []).append(m)
        if m.role == role and m.organisation_id == organisation_id:
            holders.add(m.user_id)
        if m.stands_in:
            substitutes.add(m.user_id)
    for pk, user in users.items():
        user._unionflow_own_memberships = own[pk]
    return [users[pk] for pk in sorted(holders)], [users[pk] for pk in sorted(substitutes)]


def load_conflicts(users):
    """The declared conflicts of `users` ({pk: user}), one query for all,
    kept on each user for `LiveFacts.conflicts`."""
    if not users:
        return
    found = {pk: [] for pk in users}
    for declared in ConflictDeclaration.objects.filter(user_id__in=list(users)).select_related("organisation"):
        found[declared.user_id].append(declared)
    for pk, user in users.items():
        user._unionflow_conflicts = found[pk]


class PageFacts(LiveFacts):
    """The facts about `user` and the given cases, loaded in bulk."""

    def __init__(self, user, cases):
        self.user = user
        principal_ids = set(delegators(user))
        people = {user.pk, *principal_ids}
        self._users = {u.pk: u for u in get_user_model().objects.filter(pk__in=principal_ids)}
        self._users[user.pk] = user
        cached = getattr(user, "_unionflow_memberships", None)  # read by access.memberships this request
        if cached is not None and not principal_ids:
            # The user's own rows, as that read found them (every membership
            # of the user, with its organisation): no second read of them.
            self._memberships = {user.pk: [m for m in cached if getattr(m, "delegated_by", None) is None]}
        else:
            self._memberships = {pk: [] for pk in people}
            for m in Membership.objects.filter(user_id__in=people).select_related("organisation"):
                self._memberships[m.user_id].append(m)
        self._conflicts = {pk: [] for pk in people}
        for declared in ConflictDeclaration.objects.filter(user_id__in=people).select_related("organisation"):
            self._conflicts[declared.user_id].append(declared)
        self._ancestors = self._load_ancestors()
        self._entries = self._load_entries(cases, people)

    def _load_ancestors(self):
        ids = {
            pk for ms in self._memberships.values() for m in ms if m.organisation.kind == OrgKind.SUB_UNION
            for pk in m.organisation.ancestor_ids
        }
        return Organisation.objects.in_bulk(ids) if ids else {}

    def _load_entries(self, cases, people):
        """The level decisions of every case taken by `people` (the user and
        those they stand in for), one query for the page. Four eyes
        (recusal.earlier_level) looks at no one else's entries, and these
        facts answer for `user` only: the other reviewers' decisions, two
        or three a case and each with its actor and organisation, were read
        and built into objects on every inbox for nothing. A case's history
        aliases are read in the same query (level_q), their entries given
        the states they mean to the case (`own_from_state`, which
        earlier_level compares)."""
        entries = {}
        q = Q(pk__in=[])
        by_type = {}
        aliased = {}  # (content type id, object id) of an alias: (the case's key, its process)
        for case in cases:
            codes = level_decisions(case)
            entries[(type(case), case.pk)] = []
            if codes:
                by_type.setdefault((ContentType.objects.get_for_model(case).pk, codes), set()).add(case.pk)
            process = process_for(case)
            aliases = aliases_of(case, process)
            if aliases:
                q |= alias_level_q(process, aliases)
                for ct, object_id in aliases:
                    aliased[(ct.pk, object_id)] = ((type(case), case.pk), process)
        if not by_type:
            return entries
        for (ct_id, codes), pks in by_type.items():
            q |= Q(content_type_id=ct_id, object_id__in=pks, decision__in=codes)
        q &= Q(actor_id__in=people) | Q(on_behalf_of_id__in=people)
        models = {ct_id: ContentType.objects.get_for_id(ct_id).model_class() for ct_id, _codes in by_type}
        for entry in (
            AuditEntry.objects.filter(q).select_related("actor", "organisation", "on_behalf_of").order_by("created", "pk")
        ):
            alias = aliased.get((entry.content_type_id, entry.object_id))
            if alias is not None:
                key, process = alias
                entry.own_from_state = mean_state(process, entry.from_state)
            else:
                key = (models[entry.content_type_id], entry.object_id)
                entry.own_from_state = entry.from_state
            entries[key].append(entry)
        return entries

    def own_grassroots(self, user):
        memberships = [m for m in self._memberships[user.pk] if m.organisation.kind in _UNIT_KINDS]
        return _grassroots_of(
            memberships, lambda org: [self._ancestors[pk] for pk in org.ancestor_ids if pk in self._ancestors]
        )

    def conflicts(self, user):
        return self._conflicts[user.pk]

    def principal(self, user, task):
        """As delegation.on_behalf_of, from the loaded memberships."""
        principal_ids = delegators(user)
        if task.owner_id:
            return self._users.get(task.owner_id) if task.owner_id in principal_ids else None
        role, org_id = acting_pair(task)
        if any(m.role == role and m.organisation_id == org_id for m in self._memberships[user.pk]):
            return None
        holders = sorted(
            pk for pk in principal_ids
            if any(m.role == role and m.organisation_id == org_id for m in self._memberships.get(pk, ()))
        )
        return self._users[holders[0]] if holders else None

    def level_entries(self, case):
        """The case's level decisions by the user or their principals (the
        only ones earlier_level reads: see _load_entries)."""
        found = self._entries.get((type(case), case.pk))
        if found is None:
            return super().level_entries(case)
        for entry in found:
            entry.case = case
        return found

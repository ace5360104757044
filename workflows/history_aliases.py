"""A case's audit history, its own entries and its aliases'.

The audit log is never rewritten (append-only, a trigger, and a hash chain
over each entry's subject: workflows.audit_chain). So when a case takes
over from a row of another process (a process retired, its cases carried
into another's), the entries written under the old row stay under it, and
the case's declaration names that row as a history alias
(`Process.history_aliases`). Every reader of a case's history asks this
module, so a page, the API, the printed opinions and the four-eyes rule all
see the same history, read in one query whatever the number of aliases.

What an alias's entry means to the case: `Process.history_code_map` (old
action code → the case's own) and `history_state_map` (old state → own).
An explicit map is the simplest sound design: the old codes are fixed for
ever (the log cannot change), the declaration that names the alias knows
them, and a reader then asks one question of every entry. Deriving the
meaning from the codes' registered labels would not be sound: a label is
wording ("Approve" at two levels, a translation changed), not a meaning.
Readers that judge (four eyes, opinions, the path) read the meaning
(`own_action`, `own_from_state`, `own_to_state`); readers that show an
entry show it as written, with its own registered label."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, F, Q, Value, When

from workflows.models import AuditEntry
from workflows.steps.process_index import process_for


def _content_type(kind):
    """A ContentType or "app_label.model", by its natural key: from the
    content type cache, and no process module named or imported."""
    if isinstance(kind, ContentType):
        return kind
    app_label, model = str(kind).lower().split(".")
    return ContentType.objects.get_by_natural_key(app_label, model)


def aliases_of(case, process=None):
    """[(ContentType, object id)]: the subjects whose entries are part of
    `case`'s history besides its own (none for a case no process runs, or
    whose process declares no aliases)."""
    process = process or process_for(case)
    if process is None or process.history_aliases is None:
        return []
    return [(_content_type(kind), int(object_id))
            for kind, object_id in process.history_aliases(case) or () if object_id is not None]


def own_q(case):
    return Q(content_type=ContentType.objects.get_for_model(case), object_id=case.pk)


def alias_q(aliases):
    """The entries of `aliases` ([(ContentType, id)]); matches none when empty."""
    by_type = {}
    for ct, object_id in aliases:
        by_type.setdefault(ct.pk, set()).add(object_id)
    q = Q(pk__in=[])
    for ct_id, ids in by_type.items():
        q |= Q(content_type_id=ct_id, object_id__in=sorted(ids))
    return q


def history_q(case, process=None, aliases=None):
    """The entries of `case`'s history: its own or its aliases'."""
    aliases = aliases_of(case, process) if aliases is None else aliases
    return own_q(case) | alias_q(aliases) if aliases else own_q(case)


def _mapped(field, own, mapping):
    """`field` as the case means it: an own entry's as written, an alias
    entry's through `mapping` (a code the map does not name as written)."""
    if not mapping:
        return F(field)
    return Case(When(own, then=F(field)),
                *[When(**{field: old}, then=Value(str(new))) for old, new in sorted(mapping.items())],
                default=F(field))


def entries_of(case):
    """The case's history (its own entries and its aliases', one query),
    each annotated with `own_action`, `own_from_state` and `own_to_state`:
    what it means in the case's process (an alias's entry mapped, an own
    entry as written)."""
    process = process_for(case)
    aliases = aliases_of(case, process)
    codes = process.history_code_map if aliases else {}
    states = process.history_state_map if aliases else {}
    own = own_q(case)
    return AuditEntry.objects.filter(history_q(case, process, aliases)).annotate(
        own_action=_mapped("action", own, codes),
        own_from_state=_mapped("from_state", own, states),
        own_to_state=_mapped("to_state", own, states),
    )


def alias_actions_meaning(process, own_actions):
    """The old action codes of `process`'s aliases that mean one of
    `own_actions` (e.g. the decisions that count as a level)."""
    own_actions = set(own_actions)
    return sorted(old for old, new in process.history_code_map.items() if new in own_actions)


def mean_state(process, state):
    """An alias entry's state as the case's process names it."""
    return process.history_state_map.get(state, state)

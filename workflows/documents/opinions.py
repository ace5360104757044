"""The opinion boxes of a printed approval form (审批表): one box per review
level, filled from the case's decisions in its audit log. The process says
which audit codes are decisions (and the words each prints when the
reviewer wrote none) and which levels the form has, with their titles."""

from django.utils import timezone

from workflows.audit import history_of


def level_opinions(case, *, decisions, levels, same_level=None):
    """[{title, decision, opinion, reviewer, organisation, date}] in the
    order of `levels` ([(organisation kind, title)]); `decisions` is
    {audit code: printed words}; `same_level` maps an organisation kind to
    the level it decides for (a sub-union for its grassroots union). The
    latest decision of each level wins: an earlier round returned and then
    approved shows the approval. A level nobody decided prints blank.
    An entry under a history alias counts by what its code means to the
    case's process (`own_action`: workflows.history_aliases)."""
    same_level = same_level or {}
    latest = {}
    for entry in history_of(case):
        if entry.own_action not in decisions or entry.organisation is None:
            continue
        kind = entry.organisation.kind
        latest[same_level.get(kind, kind)] = entry
    blocks = []
    for kind, title in levels:
        entry = latest.get(kind)
        words = decisions[entry.own_action] if entry else ""
        blocks.append({
            "title": title, "decision": words, "opinion": (entry.comment if entry else "") or words,
            "reviewer": entry.actor_name if entry else "",
            "organisation": entry.organisation.name if entry else "",
            "date": timezone.localtime(entry.created).date() if entry else None,
        })
    return blocks

"""A case's fields, its rounds and its audit history as every process's
case page shows them, driven by what the process registers
(`register_case_fields`): which fields its cases show, what they are called,
which are long texts compared word by word, which are masked, and where its
rounds' snapshots are kept.

A round is what was submitted at one submission ({field: value} in
`snapshot`, plus "attachments": [[pk, name], ...]); a resubmission shows what
changed against the round before."""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from django.core.exceptions import FieldDoesNotExist

from workflows.audit import action_label, history_of
from workflows.organisations.roles import role_label
from workflows.steps.registry import process_for


@dataclass(frozen=True)
class CaseFields:
    """What a process's case page shows of a case's own fields.

    - ``names(case)``: the fields the case shows, in order;
    - ``label(case, name)``: the label where the model's verbose_name is
      too general (None: the verbose_name);
    - ``long_texts``: fields compared word by word between rounds;
    - ``masked``: {name: mask(value)} for values always shown masked unless
      the page is given them in full (`revealed`);
    - ``revisions(case)``: the case's rounds, each with `round`, `snapshot`,
      `created` and `created_by` (and `round_files`, [[pk, name], ...], where
      the snapshot cannot hold "attachments");

    A process whose fields are no model fields (answers kept as JSON, a
    form described as data) supplies them as callables instead:

    - ``value(case, name)``: the case's current value (default: getattr);
    - ``shown(case, name, value, full)``: a value as a person reads it,
      masked unless `full` (default: by the model field's choices and
      `masked`);
    - ``long_texts`` may then be a callable ``long_texts(case)``, the
      fields of that case compared word by word."""

    names: Callable[[Any], list]
    label: Optional[Callable[[Any, str], Any]] = None
    long_texts: Any = frozenset()
    masked: Mapping[str, Callable[[str], str]] = field(default_factory=dict)
    revisions: Optional[Callable[[Any], Any]] = None
    value: Optional[Callable[[Any, str], Any]] = None
    shown: Optional[Callable[[Any, str, Any, bool], str]] = None

    def long_texts_of(self, case):
        return self.long_texts(case) if callable(self.long_texts) else self.long_texts


_FIELDS = {}


def register_case_fields(process_key, case_fields):
    _FIELDS[process_key] = case_fields


def case_fields_of(case):
    """The CaseFields the case's process registered, or None."""
    process = process_for(case)
    return _FIELDS.get(process.key) if process else None


# A case's fields ----------------------------------------------------------------

def field_label(case, name):
    fields = case_fields_of(case)
    label = fields.label(case, name) if fields and fields.label else None
    return label or type(case)._meta.get_field(name).verbose_name


def display(case, name, value, *, full=False):
    """A stored value (or a snapshot's) as a person reads it: choices by
    their label, dates as ISO dates, masked fields masked (unless `full`:
    the page's reader may read them, and the process recorded it)."""
    fields = case_fields_of(case)
    if fields and fields.shown:
        return fields.shown(case, name, value, full)
    if value in (None, ""):
        return ""
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    if fields and name in fields.masked and not full:
        return fields.masked[name](value)
    model_field = type(case)._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def field_rows(case, *, revealed=None):
    """(label, value) of every field the case shows; a masked field in full
    only when `revealed` gives it (the process decides who may read it and
    records that they did)."""
    fields = case_fields_of(case)
    if fields is None:
        return []
    revealed = revealed or {}
    value = fields.value or getattr
    return [
        (field_label(case, name), revealed.get(name) or display(case, name, value(case, name)))
        for name in fields.names(case)
    ]


# Changes between rounds ----------------------------------------------------------

# Long texts are compared word by word: a number (260, 3.5, 2,000) or a
# Latin word is one token, each Chinese character another (Chinese has no
# spaces to split words on), so 约260万元 → 261万元 reads "约260" out and
# "261" in, never "2601". The other fields show before and after.
UNCHANGED_CONTEXT = 20
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[A-Za-z]+(?:['’-][A-Za-z]+)*|\s+|.", re.S)


def diff_tokens(text):
    return _TOKEN.findall(text)


def text_diff(before, after):
    """[(op, text)] with op "equal", "delete" or "insert"; long unchanged
    stretches are shortened to their ends."""
    segments = []
    a, b = diff_tokens(before), diff_tokens(after)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            text = "".join(a[i1:i2])
            if len(text) > 2 * UNCHANGED_CONTEXT + 1:
                text = text[:UNCHANGED_CONTEXT] + "…" + text[-UNCHANGED_CONTEXT:]
            segments.append(("equal", text))
            continue
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def attachment_changes(previous, current):
    """(added, removed) file names between two rounds' snapshots; rounds
    recorded before snapshots listed attachments compare as unchanged."""
    if "attachments" not in previous or "attachments" not in current:
        return [], []
    before = {pk: name for pk, name in previous["attachments"]}
    after = {pk: name for pk, name in current["attachments"]}
    added = [name for pk, name in after.items() if pk not in before]
    removed = [name for pk, name in before.items() if pk not in after]
    return added, removed


def _files_of(revision):
    """A round's files: its `round_files` ([[pk, name], ...]; None when not
    recorded) where the process keeps them beside the snapshot (a snapshot
    of answers whose keys a district chooses), else the snapshot's."""
    if hasattr(revision, "round_files"):
        files = revision.round_files
        return {} if files is None else {"attachments": files}
    return revision.snapshot


def _blank(value):
    """None and "" are both "not answered"; False and 0 are answers."""
    return "" if value is None or value == "" else value


def round_changes(case, *, full=False):
    """For every resubmission: {round, created, created_by, changes: [{label,
    before, after, segments}], attachments_added, attachments_removed}
    against the round before, newest first; `segments` (text_diff) only for
    long texts. Masked values in full only when `full` (as the fields).
    [] for a process that keeps no rounds."""
    fields = case_fields_of(case)
    if fields is None or fields.revisions is None:
        return []
    revisions = list(fields.revisions(case))
    names = fields.names(case)
    long_texts = fields.long_texts_of(case)
    rounds = []
    for previous, current in zip(revisions, revisions[1:]):
        changes = []
        for name in names:
            before, after = previous.snapshot.get(name), current.snapshot.get(name)
            if _blank(before) != _blank(after):
                changes.append({
                    "label": field_label(case, name),
                    "before": display(case, name, before, full=full),
                    "after": display(case, name, after, full=full),
                    "segments": text_diff(str(before or ""), str(after or "")) if name in long_texts else None,
                })
        added, removed = attachment_changes(_files_of(previous), _files_of(current))
        rounds.append({"round": current.round, "created": current.created, "created_by": current.created_by,
                       "changes": changes, "attachments_added": added, "attachments_removed": removed})
    return list(reversed(rounds))


# The audit history -----------------------------------------------------------------

def history_rows(case):
    """The case's audit log as the page shows it, oldest first: each entry
    with its action's and role's labels and the states it moved between.
    Entries of the engine on the case (a certificate revoked) carry that
    object's states; a state no one names shows as blank, never as a code."""
    from workflows.models import CertificateStatus

    states = {**dict(CertificateStatus.choices), **_state_labels(case)}
    return [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "role": _role_name(entry.role),
            "from_state": entry.from_state,
            # An alias's entry (workflows.history_aliases) is labelled by
            # the state it means in the case's process; its code as written.
            "from_label": states.get(entry.own_from_state, ""),
            "to_state": entry.to_state,
            "to_label": states.get(entry.own_to_state, ""),
            "moved": entry.from_state != entry.to_state,
        }
        for entry in history_of(case)
    ]


def _role_name(code):
    """A registered role's label; blank for none or a code no one declared
    (a page never shows a code)."""
    label = role_label(code) if code else ""
    return "" if label == code else label


def _state_labels(case):
    try:
        return dict(type(case)._meta.get_field("state").flatchoices)
    except FieldDoesNotExist:  # a case model without a state field names none
        return {}


def last_entry(case, action):
    """The latest audit entry of `action` on the case (e.g. the return for
    revision that says what to change), or None; an entry under a history
    alias counts by what its code means to the case's process."""
    return history_of(case).filter(own_action=action).last()


# What the skeleton shows of these ----------------------------------------------------

def case_parts(case, *, revealed=None, full=False):
    """The fields, the rounds and the history rows for the case page. The
    rounds and history rows are read only if the page shows them; the
    rounds' masked values in full only when `full`."""
    parts = {
        "field_rows": field_rows(case, revealed=revealed),
        "rounds": _OnDemand(lambda c: round_changes(c, full=full), case),
        "history_rows": _OnDemand(history_rows, case),
    }
    if _has_engine_attachments(case):
        parts["attachments"] = case.attachments.all()
        parts["shows_attachments"] = True
    return parts


class _OnDemand:
    """A value computed the first time the template reads it (a template
    calls what it is given), then kept: a page that does not show it costs
    no query, one that reads it twice costs one."""

    def __init__(self, compute, case):
        self.compute, self.case = compute, case

    def __call__(self):
        if not hasattr(self, "value"):
            self.value = self.compute(self.case)
        return self.value


def _has_engine_attachments(case):
    relation = getattr(type(case), "attachments", None)
    related = getattr(getattr(relation, "field", None), "related_model", None)
    return related is not None and related._meta.label == "workflows.Attachment"

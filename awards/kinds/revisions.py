"""What the engine's case page compares between the rounds of a case of a
kind (workflows.cases.revisions): the answers are JSON on the version's
form, so the fields, their labels, how a value reads (ID and mobile
numbers masked unless the reader may see them in full) and the rounds
are supplied as callables, not read from model fields.

A case's rounds: each KindCaseRound holds the answers and files of a
round as they were when the next was handed in; the case holds the
newest. Registered from KindsConfig.ready."""

from types import SimpleNamespace

from workflows.cases.revisions import CaseFields, register_case_fields
from workflows.dataforms.palette import PALETTE

from .declaration import KIND_CASE_PROCESS


def _specs(case):
    return {spec["key"]: spec for spec in case.kind_version.definition["fields"]}


def _names(case):
    # Files are the case's attachments, compared as files added or removed.
    return [spec["key"] for spec in case.kind_version.definition["fields"] if spec["type"] != "file"]


def _label(case, name):
    spec = _specs(case).get(name)
    return spec["label"] if spec else name


def _long_texts(case):
    return {spec["key"] for spec in case.kind_version.definition["fields"] if spec["type"] == "long_text"}


def _shown(case, name, value, full):
    spec = _specs(case).get(name)
    if spec is None:
        return "" if value in (None, "") else str(value)
    return PALETTE[spec["type"]].shown(value, full=full, spec=spec)


def files_of(case):
    """The case's files now, as a round keeps them: [[pk, name], ...]."""
    return [[pk, name] for pk, name in case.attachment_files.order_by("pk").values_list("pk", "original_name")]


def _revisions(case):
    """Every round of the case, oldest first, the current one last; round
    n+1 was handed in when round n was kept (its `created`)."""
    kept = list(case.rounds.select_related("created_by"))
    if not kept:
        return []
    rounds = [SimpleNamespace(round=r.round, snapshot=r.answers, round_files=r.attachments,
                              created=None, created_by=None) for r in kept]
    rounds.append(SimpleNamespace(round=case.round, snapshot=case.answers, round_files=files_of(case),
                                  created=None, created_by=None))
    for later, replaced in zip(rounds[1:], kept):
        later.created, later.created_by = replaced.created, replaced.created_by
    return rounds


def register():
    register_case_fields(KIND_CASE_PROCESS.key, CaseFields(
        names=_names, label=_label, long_texts=_long_texts, revisions=_revisions,
        value=lambda case, name: case.answers.get(name), shown=_shown,
    ))

"""The toy's titles held for a term: the engine's held titles
(workflows.titles) registered for ToyTitle, and the few lines a process
writes around them — a grant and the decision on a re-inspection inside
their transaction, a re-inspection case opened per title, the register as a
workbook (tests/engine/test_titles.py)."""

from django.db import transaction

from workflows import titles
from workflows.documents.xlsx import Sheet, write_workbook

from tests.engine.toy.declaration import SUBMITTER, TOY
from tests.engine.toy.models import ToyCase, ToyTitle

HEADERS = ["Holder", "Grade", "Round", "Granted on", "Due on", "Status", "Status since", "Certificate"]


def titles_xlsx(rows):
    return write_workbook([Sheet("Titles", HEADERS, [
        [t.holder.name, t.grade, t.round.code, t.granted_on, t.due_on, t.status, t.status_changed_on,
         t.certificate.number if t.certificate_id else ""] for t in rows])])


TITLES = titles.register_titles(titles.TitleRules(
    key="toy", model="toy.ToyTitle", round_field="round", layout="default",
    name=lambda title: f"Toy title ({title.grade})",
    # A re-inspection case still live keeps the title from expiring.
    under_review=lambda title: title.reinspections.exclude(state__in=TOY.final_states).exists(),
    told=str(SUBMITTER), xlsx=titles_xlsx, related=("holder", "round", "certificate"),
))


def grant(*, holder, round, grade, actor, term_years=3):
    with transaction.atomic():
        return titles.grant(TITLES, ToyTitle(holder=holder, round=round, grade=grade, term_years=term_years), actor,
                            data={"round": round.code})


def reinspected(title, code, actor, comment=""):
    """The district's decision on a re-inspection of `title`: keep,
    downgrade or revoke."""
    with transaction.atomic():
        return titles.reinspected(TITLES, titles.locked_title(TITLES, title.pk), code, actor, comment=comment)


def open_reinspections(title_list, actor):
    """A re-inspection case per title, at its holder, awaiting submission."""
    return titles.open_reinspections(TITLES, title_list, actor=actor, open_case=lambda title: ToyCase.objects.create(
        title=f"Re-inspection of {title.holder.name}", organisation=title.holder, created_by=actor, held_title=title))

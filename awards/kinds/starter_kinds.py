"""The starters (范本) a district begins a kind of campaign from: whole
kind definitions shipped as JSON files in awards/kinds/starters/ (to begin
with the May Day award's three: 五一劳动奖状, 五一劳动奖章, 工人先锋号), read
once when the app starts. Choosing one opens the kind editor filled with
it; nothing is saved until the clerk saves, and the app never writes the
files (they change with the code, reviewed like it). Each file is a plain
definition (definition.py), so it can also be imported as it is; the
tests check every one with problems_of_kind."""

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .routes import APPLICANTS, ROUTES

FOLDER = Path(__file__).with_name("starters")


@dataclass(frozen=True)
class Starter:
    # The file's name: offered as the new kind's code (the clerk may change it).
    code: str
    definition: dict

    @property
    def title(self):
        return self.definition["title"]

    def summary(self):
        """One line on what the starter holds: who applies, how many
        fields, the steps of its route and what it ends in."""
        route = self.definition["route"]
        template = ROUTES[route["template"]]
        steps = " → ".join(str(template.step(code).label) for code in route["steps"])
        ends_in = self.definition["ends_in"]
        endings = []
        if ends_in.get("certificate"):
            endings.append(_("certificate “%(title)s”") % {"title": ends_in["certificate"]["title"]})
        if ends_in.get("approved_list"):
            endings.append(_("approved list"))
        if ends_in.get("payment_list"):
            endings.append(_("payment list"))
        return _("%(applicant)s; %(count)s fields; %(steps)s; ends in: %(endings)s.") % {
            "applicant": APPLICANTS[self.definition["applicant"]], "count": len(self.definition["fields"]),
            "steps": steps, "endings": "、".join(endings)}

    def definition_for(self, district):
        """A copy for `district`'s editor: the certificate is issued in the
        district's name, as May Day's is unless a campaign names another."""
        definition = copy.deepcopy(self.definition)
        certificate = definition["ends_in"].get("certificate")
        if certificate:
            certificate["issuer"] = district.name
        return definition


def _load(folder):
    starters = []
    for path in sorted(folder.glob("*.json")):
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            # A shipped file that does not read is a fault of the release, not of a district.
            raise ImproperlyConfigured(f"Starter kind {path.name} cannot be read: {error}") from error
        starters.append(Starter(path.stem, definition))
    return tuple(starters)


STARTERS = _load(FOLDER)


def starter(code):
    """The starter of `code`, or None."""
    return next((s for s in STARTERS if s.code == code), None)

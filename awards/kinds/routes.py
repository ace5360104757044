"""The route templates a kind of campaign chooses from. They are declared
here, in code, so that every check the engine runs on a declaration still
holds: a kind only switches declared optional steps on or off and sets
their deadlines; it never invents a step."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Who applies.
PERSON, UNION, WORKER = "person", "union", "worker"
APPLICANTS = {
    PERSON: _("A person nominated by their union"),
    UNION: _("A union for itself"),
    WORKER: _("A worker applying through their union (aid)"),
}


@dataclass(frozen=True)
class RouteStep:
    code: str
    label: object
    optional: bool = False
    # The step takes a deadline in working days.
    timed: bool = True


@dataclass(frozen=True)
class RouteTemplate:
    code: str
    label: object
    applicants: frozenset
    steps: tuple

    def step(self, code):
        return next((s for s in self.steps if s.code == code), None)

    @property
    def optional_codes(self):
        return [s.code for s in self.steps if s.optional]


CONFIRM = RouteStep("confirm", _("Confirmed by the unit's chair"), optional=True)
INTERMEDIATE = RouteStep("intermediate_review", _("Review by the intermediate union"), optional=True)
DISTRICT = RouteStep("district_review", _("Review by the district"))
SIGNOFFS = RouteStep("signoffs", _("Sign-offs by departments"), optional=True)
# The district assigns inspectors, who score the case against the
# campaign's scoring standard (options: route.scoring).
SCORING = RouteStep("scoring", _("Scoring by assigned inspectors"), optional=True)
NOTICE = RouteStep("notice", _("Public notice with objections"), optional=True, timed=False)
DECISION = RouteStep("decision", _("Final decision"))

ROUTES = {route.code: route for route in (
    RouteTemplate("honour", _("Nomination and review (honours, pilot sites, competitions)"),
                  frozenset({PERSON, UNION}), (CONFIRM, INTERMEDIATE, DISTRICT, SIGNOFFS, SCORING, NOTICE,
                                                      DECISION)),
    # Aid: the chair always confirms a worker's hardship; no departments.
    RouteTemplate("aid", _("Application for aid (school aid, hardship relief)"), frozenset({WORKER}),
                  (RouteStep("confirm", _("Confirmed by the unit's chair")), INTERMEDIATE, DISTRICT, NOTICE, DECISION)),
)}


def _all_steps():
    seen = {}
    for route in ROUTES.values():
        for step in route.steps:
            seen.setdefault(step.code, step)
    return list(seen.values())


# Every step of every route, once, in route order: the editor's columns.
ALL_STEPS = _all_steps()


# Options of a route beyond its steps, each with the default a version
# saved before it existed reads (so its cases go on as they did).
#
# Until when the union may withdraw a handed-in case (a returned case it
# may always withdraw): before the first review (only while the chair has
# not confirmed it; May Day's rule) or until the final decision.
WITHDRAW_BEFORE_REVIEW, WITHDRAW_BEFORE_DECISION = "first_review", "decision"
WITHDRAW_UNTIL = {
    WITHDRAW_BEFORE_REVIEW: _("Before the first review (while the chair has not confirmed it) or while returned"),
    WITHDRAW_BEFORE_DECISION: _("Until the district has reviewed it, or while returned"),
}
DEFAULT_WITHDRAW_UNTIL = WITHDRAW_BEFORE_DECISION
# What the union says it changed when it hands a returned case in again.
CHANGES_OPTIONAL, CHANGES_REQUIRED = "optional", "required"
RESUBMISSION_COMMENT = {
    CHANGES_OPTIONAL: _("Optional"),
    CHANGES_REQUIRED: _("Required"),
}
DEFAULT_RESUBMISSION_COMMENT = CHANGES_OPTIONAL

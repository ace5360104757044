"""A body that acts for a case outside its route's steps (a unit's working
body sets up an evaluation, generates codes, imports the roll): whoever
holds one of `roles` at the organisation `at(case)` returns. The process's
services ask `holds`, refuse with `check` (its own message) and file their
audit entries in `hat`."""

from dataclasses import dataclass
from typing import Any, Callable

from workflows.exceptions import NotAllowed
from workflows.organisations.access import has_role
from workflows.organisations.hats import Hat, first_hat


@dataclass(frozen=True)
class ActingBody:
    roles: tuple
    at: Callable[[Any], Any]
    refusal: Any  # the message of NotAllowed

    def holds(self, user, case):
        return any(has_role(user, role, self.at(case)) for role in self.roles)

    def check(self, user, case):
        if not self.holds(user, case):
            raise NotAllowed(str(self.refusal))

    def hat(self, user, case):
        """The hat of the first of `roles` the user holds there (the order
        the process prefers); a command run without a user is filed at the
        organisation without a role."""
        return first_hat(user, *((role, self.at(case)) for role in self.roles)) or Hat(organisation=self.at(case))

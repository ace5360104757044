"""The role codes the reports' route names. The same codes as the award
chain's (a membership stores the code): the grassroots union's submitter,
the reviewers of the intermediate union and of the district, and the
district's administrator. The declaration registers them with the engine."""

from workflows.organisations.roles import ADMINISTRATOR

SUBMITTER = "submitter"
REVIEWER = "reviewer"
DISTRICT_ADMIN = ADMINISTRATOR
CHAIR = "chair"  # registered by the award processes; a union chair may keep its facts

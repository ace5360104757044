"""Where a declared step's actors sit, relative to the case's organisation
(for `RoleAt(role, at)`): the unit itself, the union above it, its
district. Any case with an `organisation` works."""


def unit(case):
    return case.organisation


def superior(case):
    return case.organisation.parent


def district(case):
    from workflows.organisations.access import district_of

    return district_of(case.organisation)

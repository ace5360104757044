"""Settings a process's round may carry, judged the same way for every
process (its settings form, its admin and its correction service ask
these): the certificate-number format (workflows.models.rounds.Round), the
working days per step, and the fields a public notice publishes. Each
`*_problem` returns the message saying what is wrong, or None."""

from django.utils.translation import gettext as _


def certificate_number_format_problem(value):
    """A format must give each certificate its own number: {year} and {seq}
    only, and {seq} present (else every award after the first would fail
    on the duplicate number)."""
    try:
        value.format(year=2000, seq=1)
    except (KeyError, IndexError, ValueError, AttributeError):
        return _("Use only {year} and {seq} as placeholders, e.g. 证〔{year}〕第{seq:04d}号.")
    if "{seq" not in value or value.format(year=2000, seq=1) == value.format(year=2000, seq=2):
        return _("The format must contain {seq}, or all certificates get the same number.")
    return None


def deadline_step_names(process):
    """The steps of the declaration `process` that carry a deadline."""
    return [step.name for step in process.steps if step.deadline_days]


def step_days_problem(process, value):
    """{step name: working days}, naming steps of `process` with a deadline,
    1 to 60 days each."""
    names = deadline_step_names(process)
    if not isinstance(value, dict):
        return _("Give step name → working days, e.g. {\"confirm\": 5}.")
    for name, days in value.items():
        if name not in names:
            return _("%(name)s is not a step with a deadline; the steps are: %(steps)s.") % {
                "name": name, "steps": ", ".join(names)}
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
            return _("Working days for %(name)s must be a whole number from 1 to 60.") % {"name": name}
    return None


def notice_fields_problem(value, choices):
    """A list of names among `choices` ((name, label) pairs: the fields the
    process offers a notice, never an ID number or a phone)."""
    offered = {name for name, _label in choices}
    if not isinstance(value, list) or not all(isinstance(v, str) and v in offered for v in value):
        return _("Choose among: %(fields)s.") % {"fields": ", ".join(sorted(offered))}
    return None


def publishable_fields(chosen, choices):
    """The round's `chosen` notice fields that may be published: only those
    offered (`choices`) and publishable (workflows.notices.services), in
    the chosen order, each once. A name typed into the JSON by hand that is
    not offered is dropped."""
    from workflows.notices.services import publishable

    offered = {name for name, _label in choices}
    fields = []
    for name in chosen or []:
        if isinstance(name, str) and name in offered and publishable(name) and name not in fields:
            fields.append(name)
    return fields

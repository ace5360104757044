"""The working days of a round's steps, set on the form that opens it: one
number per step of the declaration that carries a deadline
(`deadline_<step>`, the declared days to start with), kept on the round as
{step: days} for the process's `deadline_days` hook to read."""

from django import forms


class StepDeadlinesMixin:
    """For a Form: `add_deadline_fields(process)` from `__init__`; then
    `deadline_fields()` for the page and `deadline_days()` once clean."""

    def add_deadline_fields(self, process):
        self.deadline_steps = [step for step in process.steps if step.deadline_days]
        for step in self.deadline_steps:
            self.fields[f"deadline_{step.name}"] = forms.IntegerField(
                label=step.title, min_value=1, max_value=60, initial=step.deadline_days)

    def deadline_fields(self):
        return [self[f"deadline_{step.name}"] for step in self.deadline_steps]

    def deadline_days(self):
        """{step: days} of the steps given a number."""
        days = {step.name: self.cleaned_data.get(f"deadline_{step.name}") for step in self.deadline_steps}
        return {name: n for name, n in days.items() if n is not None}

"""What every process's case model holds for the engine, as abstract
bases: `CaseRecord` (the attachments, the version a decision form carries,
when it was created, handed in and decided) and `RoundSnapshot` (what was
handed in at one round, so a later round shows its changes:
workflows.cases.revisions). A process's model adds its `state` (an
FSMField of its states, protected: only the engine's decision service
moves it), its round counter and its own fields."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from workflows.models.core import ProtectedStateMixin


class CaseRecord(ProtectedStateMixin, models.Model):
    # The engine's attachments (workflows.models.Attachment) of the case.
    attachments = GenericRelation("workflows.Attachment", content_type_field="case_type", object_id_field="case_id")
    # Bumped by every transition; a decision form carries the version its
    # reviewer saw, so a decision on a case that moved meanwhile is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by the engine when the case reaches a final state.
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_final(self):
        """Is the case in a final state of its declaration?"""
        from workflows.steps.registry import process_for

        return self.state in process_for(self).final_states


class RoundSnapshot(models.Model):
    """One round of a case: `snapshot` holds {field: value} as handed in,
    plus "attachments": [[pk, name], ...]. The process adds the foreign key
    to its case, with related_name="revisions"."""

    round = models.PositiveIntegerField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


def snapshot_of(case, fields):
    """The case's `fields` as JSON (dates as ISO text) and its files."""
    data = model_to_dict(case, fields=fields)
    result = {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()}
    # The files of the round, so the next round lists those added or removed.
    result["attachments"] = [[a.pk, a.original_name] for a in case.attachments.order_by("pk")]
    return result


def record_round(case, actor, fields):
    """The case is handed in (again): a new round, its snapshot kept in the
    case's `revisions` (a RoundSnapshot model)."""
    case.round += 1
    case.revisions.create(round=case.round, snapshot=snapshot_of(case, fields), created_by=actor)

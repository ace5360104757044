"""The engine's deeper rules, shared by every process: public notices and
objections, departmental sign-offs, mix rules, deadlines, delegation,
declared conflicts and in-app notifications.

A case is referred to through a generic foreign key (content type + id), so
no model here knows a particular process."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.documents.storage import private_storage
from workflows.notices.handlers import notice_handler
from workflows.notifications.events import render_event
from workflows.models.core import Organisation

__all__ = [
    "NO_OBJECTION_TEXT", "case_q", "Notification", "Delegation", "ConflictRelation", "ConflictDeclaration",
    "SignoffStatus", "SignoffRequest", "NoticeStatus", "PublicNotice",
    "NoticeOutcome", "NoticeEntry", "ObjectorKind", "ObjectionStatus", "Objection", "new_objection_reference",
    "MixComparison", "MixRule", "TaskDeadline",
]

# The official wording filed on a case whose notice ended without an open
# objection; it is printed in the dossier, so it stays in Chinese.
NO_OBJECTION_TEXT = "公示无异议"


class CaseRef(models.Model):
    """A generic reference to the case a row belongs to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


def case_q(case, prefix=""):
    """A filter for the rows of a CaseRef model that belong to `case`."""
    return Q(
        **{
            f"{prefix}content_type": ContentType.objects.get_for_model(case),
            f"{prefix}object_id": case.pk,
        }
    )


# Notifications ---------------------------------------------------------------


class Notification(models.Model):
    """A message in a user's in-app list; `key` makes a repeated send (a
    reminder run twice) a no-op for that user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    # What happened, as a code and its data: rendered in the reader's
    # language when read (workflows.notifications.services.register_event).
    # `title` and `body` hold the text of rows written before events.
    event = models.CharField(_("event"), max_length=80, blank=True, editable=False)
    data = models.JSONField(default=dict, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True, editable=False)
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="one_notification_per_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.text[0]

    @property
    def text(self):
        """(title, body) in the active language."""
        rendered = render_event(self.event, self.data) if self.event else None
        return rendered or (self.title, self.body)

    @property
    def display_title(self):
        return self.text[0]

    @property
    def display_body(self):
        return self.text[1]

    @property
    def is_read(self):
        return self.read_at is not None


# Delegation and conflicts ------------------------------------------------------


class Delegation(models.Model):
    """While it runs (both dates included), `substitute` may act in every
    role `principal` holds; the audit then names both."""

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("absent user"), on_delete=models.CASCADE, related_name="delegations_given"
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_ordered"),
            models.CheckConstraint(condition=~Q(principal=models.F("substitute")), name="delegation_not_to_self"),
        ]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self):
        return f"{self.principal} → {self.substitute} ({self.starts_on} – {self.ends_on})"

    def is_active(self, on=None):
        day = on or timezone.localdate()
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on


class ConflictRelation(models.TextChoices):
    SELF = "self", _("Myself (my own ID number)")
    RELATIVE = "relative", _("Relative")
    UNIT = "unit", _("My own unit")
    OTHER = "other", _("Other interest")


class ConflictDeclaration(models.Model):
    """A reviewer's declared conflict: a person (by ID number, else by
    name) or an organisation (its whole branch). A reviewer never decides on
    a case it matches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="conflicts"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=ConflictRelation.choices)
    person_name = models.CharField(_("person's name"), max_length=100, blank=True)
    person_id_number = models.CharField(_("person's ID number"), max_length=18, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("details"), max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["user", "created"]
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")

    def __str__(self):
        return f"{self.user} · {self.get_relation_display()} · {self.person_name or self.organisation or ''}"


# Parallel opinions (e.g. departments' sign-offs) ----------------------------------------------------------


class SignoffStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting opinion")
    AGREED = "agreed", _("Agreed")
    REFUSED = "refused", _("Refused")
    CANCELED = "canceled", _("No longer needed")


class SignoffRequest(CaseRef):
    """One department's opinion on one case in one round of sign-offs."""

    department = models.ForeignKey(
        Organisation, verbose_name=_("department"), on_delete=models.PROTECT, related_name="signoff_requests"
    )
    round = models.PositiveIntegerField(default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=SignoffStatus.choices, default=SignoffStatus.PENDING, db_index=True
    )
    opinion = models.TextField(_("opinion"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "department__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "department", "round"], name="one_signoff_per_department_round"
            ),
        ]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self):
        return f"{self.department} · {self.get_status_display()}"


# Public notices and objections ---------------------------------------------------


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PublicNotice(models.Model):
    """A 公示: cases published for `window_days` working days from
    `opened_on` to `closes_on` (both included). `handler` is the dotted path
    of the process's module that moves a case on when its entry passes or an
    objection against it is upheld (see workflows.notices.services)."""

    title = models.CharField(_("title"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("publishing organisation"), on_delete=models.PROTECT, related_name="+"
    )
    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    handler = models.CharField(max_length=200, editable=False)
    opened_on = models.DateField(_("opened on"))
    window_days = models.PositiveSmallIntegerField(
        _("working days"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    closes_on = models.DateField(_("last day"))
    published_fields = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notice_detail", args=[self.pk])

    def is_accepting_objections(self, today=None):
        day = today or timezone.localdate()
        return self.status == NoticeStatus.OPEN and self.opened_on <= day <= self.closes_on


class NoticeOutcome(models.TextChoices):
    PENDING = "pending", _("Under notice")
    NO_OBJECTION = "no_objection", _("No objection (公示无异议)")
    DISMISSED = "dismissed", _("Objections dismissed")
    UPHELD = "upheld", _("Objection upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn from the notice")


class NoticeEntry(CaseRef):
    """A case as published on a notice. `published` holds the field values
    the campaign chose to publish, copied when the notice opened (never an
    ID number or a phone number)."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField(default=0)
    published = models.JSONField(default=dict)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=NoticeOutcome.choices, default=NoticeOutcome.PENDING, db_index=True
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "position", "pk"]
        # A case's notice entries (notices.entry_of) are looked up by case.
        indexes = [models.Index(fields=["content_type", "object_id"], name="notice_entry_case_idx")]
        constraints = [
            models.UniqueConstraint(fields=["notice", "content_type", "object_id"], name="one_entry_per_case_notice"),
        ]
        verbose_name = _("notice entry")
        verbose_name_plural = _("notice entries")

    def __str__(self):
        try:
            label = notice_handler(self.notice.handler).entry_label(self)
        except LookupError:
            label = self.object_id
        return f"{self.notice} · {label}"

    def published_rows(self):
        """(label, value) pairs in the published order, labels and choice
        values in the reader's language."""
        model = self.content_type.model_class()
        rows = []
        for name in self.notice.published_fields:
            if name not in self.published:
                continue
            value = self.published[name]
            try:
                field = model._meta.get_field(name)
            except Exception:  # a value the process derived under its own name
                label = name
            else:
                label = field.verbose_name
                if field.choices:
                    value = dict(field.flatchoices).get(value, value)
            rows.append((label, value))
        return rows

    @property
    def has_open_objection(self):
        return self.objections.filter(status=ObjectionStatus.OPEN).exists()


class ObjectorKind(models.TextChoices):
    UNIT = "unit", _("A unit (with its seal)")
    PERSON = "person", _("A person (with real name)")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


def new_objection_reference():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "YY" + timezone.localdate().strftime("%Y%m%d") + "-" + "".join(secrets.choice(alphabet) for _ in range(6))


class Objection(models.Model):
    """An objection lodged against one entry of a notice. The objector's
    identity is seen by the publishing organisation only, never written to
    the case's history."""

    entry = models.ForeignKey(NoticeEntry, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="objections")
    reference = models.CharField(_("reference number"), max_length=30, unique=True, default=new_objection_reference)
    objector_kind = models.CharField(_("objector"), max_length=10, choices=ObjectorKind.choices)
    unit_name = models.CharField(_("unit name"), max_length=200, blank=True)
    seal_scan = models.FileField(_("scan with the unit's seal"), storage=private_storage, upload_to="objections/%Y/%m/", blank=True)
    seal_scan_name = models.CharField(max_length=255, blank=True)
    person_name = models.CharField(_("real name"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100)
    text = models.TextField(_("objection"))
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(_("lodged at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    finding = models.TextField(_("finding"), blank=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    found_at = models.DateTimeField(_("found at"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return self.reference

    @property
    def objector(self):
        return self.unit_name if self.objector_kind == ObjectorKind.UNIT else self.person_name


# Mix rules ----------------------------------------------------------------------


class MixComparison(models.TextChoices):
    AT_LEAST = "min", _("at least")
    AT_MOST = "max", _("at most")


class MixRule(models.Model):
    """"`field` in `values` is at least / at most `percent` % of the cases
    matched by `applies_to`" (e.g. candidate_category in [front_line] ≥ 60 %
    of {kind: individual}), over the list a scope (a campaign) awards."""

    scope_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    scope_id = models.PositiveBigIntegerField()
    scope = GenericForeignKey("scope_type", "scope_id")
    label = models.CharField(_("rule"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=50)
    values = models.JSONField(_("values"), default=list)
    comparison = models.CharField(_("comparison"), max_length=3, choices=MixComparison.choices)
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    applies_to = models.JSONField(_("counted among"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scope_type", "scope_id", "position", "pk"]
        verbose_name = _("mix rule")
        verbose_name_plural = _("mix rules")

    def __str__(self):
        return self.label or f"{self.field} {self.comparison} {self.percent}%"


# Deadlines ------------------------------------------------------------------------


class TaskDeadline(CaseRef):
    """When a human task falls due, and which of its reminders went out;
    each stamp is set once by a conditional update, so a reminder run twice
    sends nothing new."""

    task = models.OneToOneField(
        "viewflow.Task", on_delete=models.CASCADE, related_name="deadline"
    )
    step = models.CharField(_("step"), max_length=100)
    due_on = models.DateField(_("due on"), db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")

    def __str__(self):
        return f"{self.step} · {self.due_on}"

    def is_overdue(self, today=None):
        return (today or timezone.localdate()) > self.due_on

"""The shared engine's data: organisations, roles, the audit log, documents
and certificates. Nothing here knows a particular process; a case is referred
to through a generic foreign key."""

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.documents.storage import private_storage
from workflows.organisations.roles import role_choices, role_label


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("District federation")
    INTERMEDIATE = "intermediate", _("Intermediate union")
    GRASSROOTS = "grassroots", _("Grassroots union")
    SUB_UNION = "sub_union", _("Sub-union / union group")
    # A government department asked for sign-offs (tax, safety, ...); placed
    # under the district so that district_of() finds it.
    DEPARTMENT = "department", _("Government department")


class Sector(models.TextChoices):
    STATE_OWNED = "state_owned", _("State-owned")
    COLLECTIVE = "collective", _("Collective")
    NON_PUBLIC = "non_public", _("Non-public")
    INSTITUTION = "institution", _("Public institution")
    ORGAN = "organ", _("Government organ")
    NONE = "", _("Not applicable")


# The sectors of enterprises (as opposed to institutions and organs).
ENTERPRISE_SECTORS = (Sector.STATE_OWNED, Sector.COLLECTIVE, Sector.NON_PUBLIC)


class Organisation(models.Model):
    """A node of the union tree. `path` is the chain of ancestor ids
    ("/1/4/17/"), so a branch is one indexed prefix query."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # When the organisation joined the tree and when it was dissolved, so
    # that a past year's figures count the organisations of that year, not
    # ones imported since. Empty: not known (organisations set up before
    # the dates were kept), counted in every year.
    established_on = models.DateField(_("in the tree since"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk and f"/{self.pk}/" in self.parent.path:
            raise ValidationError(_("An organisation cannot be placed under its own branch."))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            type(self).objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    type(self).objects.filter(pk=child.pk).update(path=new_path + child.path[len(old_path):])

    @property
    def ancestor_ids(self):
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self):
        """From the root down to and including self."""
        by_id = {org.pk: org for org in Organisation.objects.filter(pk__in=self.ancestor_ids)}
        return [by_id[pk] for pk in self.ancestor_ids if pk in by_id]

    def ancestor_of_kind(self, kind):
        for org in reversed(self.ancestors()):
            if org.kind == kind:
                return org
        return None

    def is_within(self, other):
        return self.path.startswith(other.path)

    def branch(self):
        return Organisation.objects.filter(path__startswith=self.path)


def existing_in(year):
    """Q over Organisation: the organisations that were in the tree at some
    time during `year` (an unknown date counts as always)."""
    import datetime

    return (Q(established_on__isnull=True) | Q(established_on__lte=datetime.date(year, 12, 31))) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=datetime.date(year, 1, 1)))


def existing_on(day):
    """Q over Organisation: the organisations in the tree on `day`."""
    return (Q(established_on__isnull=True) | Q(established_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=role_choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership"),
        ]
        ordering = ["organisation__path", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} · {self.organisation} · {role_label(self.role)}"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses every way the ORM writes an existing row: update() and
    delete(), and the private paths Model.save() and the deletion collector
    take (_update, _raw_delete). The model's base manager is this one too
    (Meta.base_manager_name), so no manager of the model can write a row."""

    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def _update(self, values):
        raise PermissionError("The audit log is append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def _raw_delete(self, using):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One thing that happened to a case. Rows are only ever inserted: the
    model, its managers and the admin all refuse to change or delete one, on
    PostgreSQL a trigger refuses UPDATE (but the sealing of an unsealed row)
    and DELETE too, and the hashes show any row changed behind their back
    (`manage.py verify_audit`)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    decision = models.CharField(_("decision"), max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # The hash chain (workflows.audit_chain). `content_hash`, over the
    # entry's own content, is set by log_action at insert (no lock: nothing
    # of another entry is read). The chain's three columns are filled once,
    # by the sealer (workflows.audit_seal), in its own short transaction:
    # `seal_seq` the entry's place in the chain, `prev_hash` the hash of the
    # entry sealed before it, `entry_hash` over its content and that. Until
    # then they are NULL / "" ("unsealed"). Sealing is the one UPDATE the
    # PostgreSQL trigger lets through. Entries sealed before content hashes
    # existed have content_hash "" (the chain covers them).
    content_hash = models.CharField(max_length=64, editable=False, default="")
    seal_seq = models.PositiveBigIntegerField(null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False, default="")
    entry_hash = models.CharField(max_length=64, editable=False, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created"]),
            # The sealer's queue: the few entries not yet in the chain.
            models.Index(fields=["id"], condition=models.Q(seal_seq__isnull=True), name="auditentry_unsealed"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")



class Document(models.Model):
    """A generated file (certificate, form, list) kept with its SHA-256.
    An issued document is never rewritten: a new rendering is a new row."""

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to="documents/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Document.objects.filter(pk=self.pk).values_list("file", "sha256").first()
            if stored and (stored[0] != self.file.name or stored[1] != self.sha256):
                raise PermissionError("An issued document is never overwritten.")
        super().save(*args, **kwargs)


def new_verification_token():
    return secrets.token_urlsafe(18)


def new_verification_code():
    from ..documents.verification_codes import new_code

    return new_code()


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    """A certificate issued to the subject of a case. `series` scopes the
    number (a campaign's code), so numbers are unique per campaign."""

    series = models.CharField(_("series"), max_length=80)
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("certificate number"), max_length=80)
    token = models.CharField(max_length=40, unique=True, default=new_verification_token, editable=False)
    # The short code printed under the QR code (Crockford base32, stored
    # without the dash). Certificates issued before it existed have none:
    # their printed code is the start of `token`, still accepted.
    code = models.CharField(
        _("verification code"), max_length=8, unique=True, null=True, blank=True,
        default=new_verification_code, editable=False,
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    award_title = models.CharField(_("award"), max_length=200)
    issuer = models.CharField(_("issuing body"), max_length=200)
    issued_on = models.DateField(_("date of issue"))
    layout = models.CharField(_("layout"), max_length=40, default="default")
    # The printed wording, filled in when issued by a process whose wording
    # is data (a kind of campaign): printed instead of the layout's own
    # sentence, and kept as issued whatever later changes to the case.
    wording = models.TextField(_("wording"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    owner_organisation = models.ForeignKey(
        Organisation, verbose_name=_("recipient's organisation"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "sequence"]
        # A case's certificates, whatever their status (the unique
        # constraint covers only valid ones).
        indexes = [models.Index(fields=["content_type", "object_id"], name="certificate_case_idx")]
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="unique_certificate_sequence"),
            models.UniqueConstraint(fields=["series", "number"], name="unique_certificate_number"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_case",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    @property
    def is_revoked(self):
        return self.status == CertificateStatus.REVOKED

    @property
    def short_code(self):
        """The code as printed: grouped Crockford code, or the old token
        prefix for certificates issued before codes existed."""
        from ..documents.verification_codes import grouped

        return grouped(self.code) if self.code else self.token[:8]


class ProtectedStateMixin(models.Model):
    """Lets refresh_from_db reload protected django-fsm fields. django-fsm's
    own FSMModelMixin flips the field's class-wide `protected` flag, which
    races between threads; dropping the instance's value first does not."""

    class Meta:
        abstract = True

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        from django_fsm import FSMFieldMixin

        for field in self._meta.concrete_fields:
            if isinstance(field, FSMFieldMixin) and (fields is None or field.attname in fields):
                self.__dict__.pop(field.attname, None)
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def reload_from(self, row):
        """Take the values of `row`, a fresher copy of this same row (the
        one a service locked, moved and saved): a reload like
        refresh_from_db, without reading the row again. Not a state change:
        the state moves only through the declared transitions."""
        from django_fsm import FSMFieldMixin

        assert type(row) is type(self) and row.pk == self.pk
        for field in self._meta.concrete_fields:
            if isinstance(field, FSMFieldMixin):
                self.__dict__.pop(field.attname, None)
            setattr(self, field.attname, getattr(row, field.attname))


class CalendarDay(models.Model):
    """A day the district's working calendar states explicitly: a statutory
    holiday or a make-up working day of a year chinese-calendar does not know
    yet, or a local exception. Entered in the admin; wins over the package."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), help_text=_("Ticked for a make-up working day, unticked for a holiday."))
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("e.g. Spring Festival"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("working calendar day")
        verbose_name_plural = _("working calendar")

    def __str__(self):
        return f"{self.date} {self.name}"

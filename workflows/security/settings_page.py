"""The security settings in force, for the district's 等保 assessment
(district administrator only): sessions, passwords and lockout, the
second factor and who has it, sign-on, the audit log's retention, HTTPS
and the admin's networks. Read from the running configuration, never
typed in: what the page says is what the app does."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from workflows.organisations.administration import administered_districts
from workflows.organisations.roles import role_label, second_factor_roles

from . import second_factor
from .retention import MINIMUM_DAYS


def _minutes(seconds):
    return _("%(minutes)s minutes") % {"minutes": seconds // 60} if seconds else _("off")


def _on(value):
    return _("on") if value else _("off")


def _min_password_length():
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return validator.get("OPTIONS", {}).get("min_length", 8)
    return None


def _oldest_entry(district):
    from django.utils import formats, timezone

    from workflows.models import AuditEntry

    first = (AuditEntry.objects.filter(organisation__path__startswith=district.path)
             .order_by("created", "pk").values_list("created", flat=True).first())
    return formats.date_format(timezone.localtime(first), "Y-m-d") if first else "—"


def security_rows(district):
    """(group, [(setting, value in force, meets the baseline: True, False
    or None when there is no baseline)])."""
    required, enrolled = second_factor.district_enrolment(district)
    roles = ", ".join(
        f"{role_label(code)}" + (f" ({', '.join(sorted(kinds))})" if kinds else "")
        for code, kinds in second_factor_roles().items()
    )
    idle, age = settings.UNIONFLOW_IDLE_TIMEOUT_SECONDS, settings.UNIONFLOW_SESSION_MAX_SECONDS
    retention = settings.UNIONFLOW_AUDIT_RETENTION_DAYS
    return [
        (_("Sessions"), [
            (_("Logout after inactivity"), _minutes(idle), bool(idle) and idle <= 30 * 60),
            (_("Maximum session length"), _minutes(age), bool(age)),
            (_("Session ends when the browser closes"), _on(settings.SESSION_EXPIRE_AT_BROWSER_CLOSE), None),
        ]),
        (_("Passwords and login"), [
            (_("Local passwords"), _on(settings.UNIONFLOW_LOCAL_PASSWORDS), None),
            (_("Minimum password length"), str(_min_password_length() or "—"), (_min_password_length() or 0) >= 8),
            (_("Failed logins before lockout"), str(settings.AXES_FAILURE_LIMIT), settings.AXES_FAILURE_LIMIT <= 10),
            (_("Lockout time"), _minutes(int(settings.AXES_COOLOFF_TIME.total_seconds())), None),
        ]),
        (_("Second factor"), [
            (_("Second factor required"), _on(settings.UNIONFLOW_SECOND_FACTOR), settings.UNIONFLOW_SECOND_FACTOR),
            (_("Roles that require it"), roles, None),
            (_("Accounts of the district that require it"),
             _("%(enrolled)s of %(required)s have set it up") % {"enrolled": enrolled, "required": required},
             enrolled == required),
        ]),
        (_("Unified identity service"), [
            (_("OIDC sign-on"), _on(settings.UNIONFLOW_OIDC), None),
            (_("CAS sign-on"), _on(settings.UNIONFLOW_CAS), None),
        ]),
        (_("Audit log"), [
            (_("Audit records kept"), _("%(days)s days") % {"days": retention}, retention >= MINIMUM_DAYS),
            (_("Oldest audit record of the district"), _oldest_entry(district), None),
        ]),
        (_("Transport and administration"), [
            (_("HTTPS enforced"), _on(getattr(settings, "SECURE_SSL_REDIRECT", False)),
             bool(getattr(settings, "SECURE_SSL_REDIRECT", False))),
            (_("Secure session cookie"), _on(getattr(settings, "SESSION_COOKIE_SECURE", False)),
             bool(getattr(settings, "SESSION_COOKIE_SECURE", False))),
            (_("Admin reachable from"), ", ".join(settings.UNIONFLOW_ADMIN_ALLOWED_NETWORKS) or _("anywhere"),
             bool(settings.UNIONFLOW_ADMIN_ALLOWED_NETWORKS)),
        ]),
    ]


@login_required
def security_settings(request):
    districts = administered_districts(request.user)
    if not districts:
        raise Http404()
    return render(request, "workflows/security/settings.html",
                  {"district": districts[0], "groups": security_rows(districts[0])})

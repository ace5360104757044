"""The entries of the access matrix (tests/test_access_matrix.py): for each
URL name, how to build it for an object of a branch (the kind of object in
tests/access_world.py and the URL's kwargs from it), or how to build it
without one; which pages are public; whose an object is."""

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from workflows.models import ApiToken, Delegation, Membership, Notification, Organisation, Webhook
from workflows.models.bulk_runs import BulkRun

# Django's own apps: the admin (its own permission system, tested by Django
# and fenced off by AdminNetworkMiddleware), the language switch and the
# JavaScript catalogue (no object, no data of anyone).
SKIPPED_PREFIXES = ("admin/", "i18n/", "jsi18n/")

# Pages anyone may read: they hold no private field (checked on every answer).
PUBLIC = {
    "home", "login", "notice_list", "notice_detail", "objection_create", "objection_received",
    "verify_certificate", "verify_lookup", "healthz", "cadres:vote", "cadres:public_results",
    "cadres:public_result_sheet", "api:schema", "api:docs", "api:certificate",
    "cadres:public_result_sheet",
    # Sign-on: the way in (404 while the identity service is off) and the
    # page a refused sign-on ends on.
    "oidc_login", "oidc_callback", "cas_login", "signon_refused",
}

# POSTing these would end the session or is not a question about an object.
POST_SKIPPED = {"logout"}

pk = lambda o: {"pk": o.pk}  # noqa: E731
code = lambda o: {"code": o.code}  # noqa: E731


def _attachment(parent):
    """A process's old download address (before the engine held the
    attachments): the case and the attachment's old id; it redirects to
    the engine's `attachment_download`."""
    return lambda a: {"pk": a.case_id, "attachment_pk": a.legacy_id}


# name: (kind of object in World.obj, kwargs of the URL from the object)
OBJECT_URLS = {
    "notification_open": ("notification", pk),
    "notice_detail": ("notice", pk),
    "objection_create": ("notice_entry", lambda e: {"pk": e.notice_id, "entry_pk": e.pk}),
    "objection_received": ("notice", pk),
    "notice_manage": ("notice", pk),
    "notice_close": ("notice", pk),
    "notice_objection": ("objection", pk),
    "objection_seal": ("objection", pk),
    "delegation_end": ("delegation", pk),
    "account_reset_password": ("account", pk),
    "account_signon": ("account", pk),
    "account_reset_second_factor": ("account", pk),
    "task_reassign": ("task", pk),
    # The engine's decision page, for a case of any process (here a nomination).
    "case_decide": ("nomination", lambda n: {"process_key": "mayday", "pk": n.pk}),
    "inbox_bulk_dismiss": ("bulk_run", pk),
    # The engine's one download of an attachment, whatever its process
    # (access: the case's process's selector; here a nomination's file).
    "attachment_download": ("nomination_attachment", pk),
    "verify_certificate": ("certificate", lambda c: {"token": c.token}),
    "certificate_detail": ("certificate", pk),
    "certificate_pdf": ("certificate", pk),
    "certificate_revoke": ("certificate", pk),
    "print_job_detail": ("print_job", pk),
    "print_job_status": ("print_job", pk),
    "print_job_pdf": ("print_job", pk),
    "print_job_retry": ("print_job", pk),
    # The model workers' home
    "modelhome:campaign_detail": ("home_campaign", code),
    "modelhome:application_create": ("home_campaign", code),
    "modelhome:notice_open": ("home_campaign", code),
    "modelhome:application_detail": ("application", pk),
    "modelhome:application_edit": ("application", pk),
    "modelhome:application_review": ("application", pk),
    "modelhome:application_withdraw": ("application", pk),
    "modelhome:attachment_download": ("application_attachment", _attachment("application")),
    "modelhome:inspection_edit": ("application", pk),
    "modelhome:inspection_download": ("application", pk),
    "modelhome:assign": ("application", pk),
    "modelhome:compare": ("application", pk),
    "modelhome:remedy": ("application", pk),
    "modelhome:notice_hold": ("application", pk),
    "modelhome:decide": ("application", pk),
    "kinds:detail": ("campaign_kind", pk),
    "kinds:edit": ("campaign_kind", pk),
    "kinds:export": ("campaign_kind", pk),
    # Scoring standards: the engine's pages, and model home's old addresses of them
    "standard_detail": ("standard", pk),
    "standard_export": ("standard", pk),
    "standard_import": ("standard", pk),
    "modelhome:standard_detail": ("standard", pk),
    "modelhome:standard_export": ("standard", pk),
    "modelhome:standard_import": ("standard", pk),
    "modelhome:title_detail": ("title", pk),
    "modelhome:title_certificate": ("title", pk),
    # May Day awards
    "awards:campaign_detail": ("mayday_campaign", code),
    "awards:campaign_rules": ("mayday_campaign", code),
    "awards:award_list": ("mayday_campaign", code),
    "awards:award_list_pdf": ("mayday_campaign", code),
    "awards:award_list_xlsx": ("mayday_campaign", code),
    "awards:notice_open": ("mayday_campaign", code),
    "awards:share_quota": ("mayday_campaign", code),
    "awards:public_notice": ("mayday_campaign", code),
    "awards:print_certificates": ("mayday_campaign", code),
    "awards:nomination_detail": ("nomination", pk),
    "awards:nomination_edit": ("nomination", pk),
    "awards:attachment_download": ("nomination_attachment", _attachment("nomination")),
    "awards:certificate_download": ("nomination", pk),
    "awards:signoff": ("nomination", pk),
    "awards:recommendation_form": ("nomination", pk),
    "awards:certificate_reissue": ("certificate", pk),
    # Democratic evaluation of cadres
    "cadres:evaluation_detail": ("evaluation", code),
    "cadres:evaluation_edit": ("evaluation", code),
    "cadres:evaluation_submit": ("evaluation", code),
    "cadres:evaluation_decide": ("evaluation", code),
    "cadres:voters_import": ("evaluation", code),
    "cadres:voters_sign_in": ("evaluation", code),
    "cadres:codes_generate": ("evaluation", code),
    "cadres:slips_print": ("evaluation", code),
    "cadres:slip_replace": ("evaluation", code),
    "cadres:paper_batches": ("evaluation", code),
    "cadres:paper_batch_confirm": ("evaluation", lambda e: {"code": e.code, "number": 1}),
    "cadres:result_sheet": ("evaluation", lambda e: {"code": e.code, "fmt": "xlsx"}),
    "cadres:vote": ("evaluation", code),
    "cadres:public_results": ("evaluation", code),
    "cadres:public_result_sheet": ("evaluation", lambda e: {"code": e.code, "fmt": "xlsx"}),
    # Reports to the workers' congress
    "congress:report_detail": ("report", pk),
    "congress:report_edit": ("report", pk),
    "congress:report_decide": ("report", pk),
    "congress:report_pdf": ("report", pk),
    "congress:attachment": ("report_attachment", _attachment("report")),
    "congress:facts_edit": ("facts_org", lambda o: {"org_pk": o.pk}),
    # The JSON API (a session here; tokens act as their account) and its settings
    "api:organisation": ("facts_org", pk),
    "api:case": ("nomination", lambda n: {"key": "mayday", "pk": n.pk}),
    "api:decide": ("report", lambda r: {"key": "congress_report", "pk": r.pk}),
    "api:certificate": ("certificate", lambda c: {"token": c.token}),
    "api:token": ("api_token", pk),
    "api_token_revoke": ("api_token", pk),
    "webhook_detail": ("webhook", pk),
    "webhook_disable": ("webhook", pk),
}


def _coverage_missing():
    from evaluations.congress.models import CoverageTarget

    return reverse("coverage:missing", kwargs={"code": CoverageTarget.objects.order_by("pk").first().code})


# name: None (reverse(name)) or a callable giving the URL; these pages list
# or create, scoped to the asker: no object of a branch in their URL.
NO_OBJECT = dict.fromkeys([
    "home", "healthz", "login", "logout", "inbox", "inbox_bulk", "notifications", "notifications_mark_read", "notice_list",
    "delegations", "conflicts", "district_import", "district_import_template", "district_import_passwords",
    "account_list", "organisation_tree", "organisation_tree_xlsx", "password_change_required", "verify_lookup",
    "certificate_list", "certificate_preview",
    "print_job_list", "print_job_create", "modelhome:index", "modelhome:campaign_open", "modelhome:application_list",
    "standard_list", "modelhome:standard_list", "modelhome:register", "modelhome:register_xlsx", "modelhome:reinspect",
    "awards:campaign_list", "awards:campaign_create", "awards:nomination_list",
    "awards:nomination_create", "awards:bulk_decide", "cadres:evaluation_list", "cadres:evaluation_create",
    "cadres:coverage", "congress:report_list", "congress:overdue", "congress:period_list", "congress:period_open",
    "congress:facts_list", "congress:facts_import", "congress:facts_export", "coverage:dashboard", "coverage:export",
    # Notification channels: the user's own choices; the district administrator's credentials and deliveries
    # (a delivery is named in the POST body, and another district's is a 404: test_notification_channels).
    "notification_channels", "channel_settings", "channel_deliveries", "channel_delivery_retry",
    "api:schema", "api:docs", "api:me", "api:roles", "api:organisations", "api:processes", "api:tasks",
    "api:tokens", "api:not_found", "api_tokens", "webhooks",
    "oidc_login", "oidc_callback", "cas_login", "signon_refused", "second_factor_enrol", "second_factor_verify",
    "security_settings", "audit_export", "kinds:list", "kinds:create", "kinds:import",
])
NO_OBJECT["certificate_preview_pdf"] = lambda: reverse("certificate_preview_pdf", kwargs={"layout": "individual"})
NO_OBJECT["coverage:missing"] = _coverage_missing
NO_OBJECT["coverage:close_year"] = lambda: reverse("coverage:close_year") + "?year=2024"
NO_OBJECT["api:process"] = lambda: reverse("api:process", kwargs={"key": "mayday"})
NO_OBJECT["api:cases"] = lambda: reverse("api:cases", kwargs={"key": "mayday"})
NO_OBJECT["api:figures"] = lambda: reverse("api:figures", kwargs={"name": "coverage"})


def holder(obj):
    """(user, None) for what belongs to one person, (None, organisation)
    for what belongs to an organisation."""
    from awards.modelhome.models import Title
    from workflows.models import StandardVersion
    from viewflow.workflow.models import Task
    from workflows.models import Attachment, Certificate, NoticeEntry, Objection, PublicNotice
    from workflows.steps.tasks import acting_pair

    if isinstance(obj, Notification):
        return obj.user, None
    if isinstance(obj, StandardVersion):
        return None, obj.standard.district
    if isinstance(obj, BulkRun):
        return obj.actor, None
    if isinstance(obj, Delegation):
        return obj.principal, None  # and the administrator of the principal's district (Matrix.foreign)
    if isinstance(obj, ApiToken):
        return obj.user, None  # and the administrator of the account's district (Matrix.foreign)
    if isinstance(obj, Webhook):
        return None, obj.district
    if isinstance(obj, get_user_model()):
        return None, Membership.objects.filter(user=obj).first().organisation
    if isinstance(obj, Organisation):
        return None, obj
    if isinstance(obj, Task):
        return None, Organisation.objects.get(pk=acting_pair(obj)[1])
    if isinstance(obj, Certificate):
        return None, obj.owner_organisation
    if isinstance(obj, Title):
        return None, obj.holder
    if isinstance(obj, PublicNotice):
        return None, obj.organisation
    if isinstance(obj, NoticeEntry):
        return None, obj.notice.organisation
    if isinstance(obj, Objection):
        return None, obj.entry.notice.organisation
    if isinstance(obj, Attachment):
        return holder(obj.case)
    for field in ("organisation", "district"):
        if hasattr(obj, f"{field}_id"):
            return None, getattr(obj, field)
    raise TypeError(f"no holder known for {obj!r}")


def is_district_level(org):
    return org.parent_id is None


def private_values(world):
    """Values no public page may show: ID numbers and phones of nominees,
    objectors' names and contacts, people's e-mail addresses."""
    from awards.mayday.models import Nomination
    from workflows.models import Objection

    values = set()
    for id_number, phone in Nomination.objects.values_list("id_number", "contact_phone"):
        values.update(v for v in (id_number, phone) if v and len(v) >= 6)
    for name, contact in Objection.objects.values_list("person_name", "contact"):
        values.update(v for v in (name, contact) if v and len(v) >= 2)
    values.update(e for e in get_user_model().objects.values_list("email", flat=True) if e)
    return sorted(values)


def url_names():
    return [(name, route) for name, route, _ in url_entries()]


def url_entries():
    """Every named URL of the root URLconf, walking includes (name with its
    namespace, route, view), but for the prefixes Django's apps own."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if any(route.startswith(p) for p in SKIPPED_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                ns = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry, route, ns)
            elif isinstance(entry, URLPattern):
                found.append((":".join(filter(None, [namespace, entry.name])), route, entry.callback))

    walk(get_resolver(), "", "")
    return found

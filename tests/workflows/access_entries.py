"""The engine's pages in the access matrix and the form fuzzing (the
registry: tests/access_registry.py). The engine's pages of each process's
cases (its decision page, its attachments, its API) are generated from the
processes' `CASES`."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.access_registry import FormEntry, o, r

# Every engine page without a parameter lists or creates, scoped to the asker.
PAGES = {"": {(): None}, "coverage": {(): None}}

# Pages anyone may read: they hold no private field (checked on every answer).
PUBLIC = {
    "home", "login", "notice_list", "notice_detail", "objection_create", "objection_received",
    "verify_certificate", "verify_lookup", "healthz",
    # Sign-on: the way in (404 while the identity service is off) and the
    # page a refused sign-on ends on.
    "oidc_login", "oidc_callback", "cas_login", "signon_refused",
}

# POSTing these would end the session or is not a question about an object.
POST_SKIPPED = {"logout"}

pk = lambda obj: {"pk": obj.pk}  # noqa: E731

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
    "inbox_bulk_dismiss": ("bulk_run", pk),
    "verify_certificate": ("certificate", lambda c: {"token": c.token}),
    "certificate_detail": ("certificate", pk),
    "certificate_pdf": ("certificate", pk),
    "certificate_revoke": ("certificate", pk),
    "print_job_detail": ("print_job", pk),
    "print_job_status": ("print_job", pk),
    "print_job_pdf": ("print_job", pk),
    "print_job_retry": ("print_job", pk),
    "api_token_revoke": ("api_token", pk),
    "webhook_detail": ("webhook", pk),
    "webhook_disable": ("webhook", pk),
}

NO_OBJECT = {
    "certificate_preview_pdf": lambda: reverse("certificate_preview_pdf", kwargs={"layout": "individual"}),
}


def private_values(world):
    """Objectors' names and contacts, people's e-mail addresses."""
    from workflows.models import Objection

    values = set()
    for name, contact in Objection.objects.values_list("person_name", "contact"):
        values.update(v for v in (name, contact) if v and len(v) >= 2)
    values.update(e for e in get_user_model().objects.values_list("email", flat=True) if e)
    return values


FORMS = {
    "login": FormEntry("anonymous", r("login")),
    "password_change_required": FormEntry("jixie_submit", r("password_change_required")),
    "notifications_mark_read": FormEntry("jixie_submit", r("notifications_mark_read"), r("notifications"),
                                         button=True),
    "objection_create": FormEntry("anonymous", lambda w: reverse("objection_create", kwargs={
        "pk": w.obj["notice_entry", "A"].notice_id, "entry_pk": w.obj["notice_entry", "A"].pk})),
    "notice_close": FormEntry("qz_admin", r("notice_close", o("notice")), r("notice_manage", o("notice")),
                              button=True),
    "notice_objection": FormEntry("qz_admin", r("notice_objection", o("objection"))),
    "notification_channels": FormEntry("jixie_submit", r("notification_channels")),
    "channel_settings": FormEntry("qz_admin", r("channel_settings")),
    "delegations": FormEntry("cg_review", r("delegations")),
    "delegation_end": FormEntry("cg_review", r("delegation_end", o("delegation")), r("delegations"), button=True),
    "conflicts": FormEntry("cg_review", r("conflicts")),
    "district_import": FormEntry("qz_admin", r("district_import")),
    "account_reset_password": FormEntry("qz_admin", r("account_reset_password", o("account")), button=True),
    "account_signon": FormEntry("qz_admin", r("account_signon", o("account"))),
    "account_reset_second_factor": FormEntry("qz_admin", r("account_reset_second_factor", o("account")),
                                             button=True),
    "second_factor_enrol": FormEntry("jixie_submit", r("second_factor_enrol")),
    "task_reassign": FormEntry("qz_admin", r("task_reassign", o("task"))),
    # The engine's decision page, here for a case of a kind awaiting its union's chair.
    "case_decide": FormEntry("jixie_chair", lambda w: reverse("case_decide", kwargs={
        "process_key": "kind_case", "pk": w.obj["kind_case", "A"].pk})),
    "certificate_revoke": FormEntry("qz_admin", r("certificate_revoke", o("certificate")),
                                    r("certificate_detail", o("certificate"))),
    "print_job_create": FormEntry("qz_admin", r("print_job_create"), r("certificate_list")),
    "print_job_retry": FormEntry("qz_admin", r("print_job_retry", o("print_job")),
                                 r("print_job_detail", o("print_job")), button=True),
    "inbox_bulk": FormEntry("cg_review", r("inbox_bulk"), r("inbox")),
    # The JSON API's settings (its own POSTs, JSON, are fuzzed from its schema)
    "api_tokens": FormEntry("jixie_submit", r("api_tokens")),
    "api_token_revoke": FormEntry("jixie_submit", r("api_token_revoke", o("api_token")), button=True),
    "webhooks": FormEntry("qz_admin", r("webhooks")),
    "webhook_disable": FormEntry("qz_admin", r("webhook_disable", o("webhook")), button=True),
}

# POST handlers not fuzzed, with the reason.
NOT_FUZZED = {
    "second_factor_verify": "shows its form only to an account with a confirmed authenticator (none in the demo); "
                            "its one field is second_factor_enrol's, fuzzed there; bad codes are tested in "
                            "tests/security/test_second_factor.py",
    "logout": "ends the session and reads no field",
    "channel_delivery_retry": "a button on a failed delivery (the demo has none) that reads one id; a bad id or "
                              "another district's is a 404 (tests/workflows/test_notification_channels.py)",
    "inbox_bulk_dismiss": "a button that acknowledges the reviewer's own cut-off bulk run and reads no field "
                          "(its access is in the access matrix)",
}

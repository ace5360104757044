"""The forms tests/test_form_fuzzing.py fuzzes: for each URL that takes a
POST, who may post it in the demo world (tests/access_world.py), its URL,
and the page that shows its form (where its fields are read)."""

import inspect
from dataclasses import dataclass
from typing import Callable, Optional

from django.urls import reverse
from django.utils import timezone


@dataclass
class FormEntry:
    persona: str
    url: Callable
    host: Optional[Callable] = None  # the page showing the form, when the URL only takes POSTs
    button: bool = False  # a button: no field but the hidden ones


def _r(name, *args, query=""):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args]) + query


def _o(kind, attr="pk", slot="A"):
    return lambda w: getattr(w.obj[kind, slot], attr)


def _pick(model_path, **filters):
    """The pk of the first demo row matching `filters`."""

    def pick(w):
        from django.apps import apps

        return apps.get_model(model_path).objects.filter(**filters).order_by("pk").values_list("pk", flat=True)[0]

    return pick


def _current_campaign(w):
    return f"mayday-{timezone.localdate().year}"


NOMINATION_DETAIL = _r("awards:nomination_detail", _pick("awards.Nomination", state="confirmed"))
JIXIE_EVALUATION = lambda w: "pingyi-2024-jixie"  # noqa: E731 (voting open in the demo)


def APPROVED_EVALUATION(w):
    """An evaluation of jixie whose plan is approved and whose vote is not
    open: codes are generated and slips printed only then (the demo has
    none; made once, through the services)."""
    from evaluations.cadres import services
    from evaluations.cadres.models import Evaluation
    from tests.access_world import _evaluation

    code = "matrix-jixie-approved"
    if not Evaluation.objects.filter(code=code).exists():
        evaluation = _evaluation(w.org["jixie"], w.users["jixie_submit"], code)
        services.do_submit_plan(evaluation=evaluation, actor=w.users["jixie_submit"])
        services.do_decide(evaluation=evaluation, actor=w.users["cg_review"], decision="approve")
        services.do_generate_codes(evaluation=evaluation, count=3, actor=w.users["jixie_submit"])
    return code


FORMS = {
    "login": FormEntry("anonymous", _r("login")),
    "password_change_required": FormEntry("jixie_submit", _r("password_change_required")),
    "notifications_mark_read": FormEntry("jixie_submit", _r("notifications_mark_read"), _r("notifications"),
                                         button=True),
    "objection_create": FormEntry("anonymous", lambda w: reverse("objection_create", kwargs={
        "pk": w.obj["notice_entry", "A"].notice_id, "entry_pk": w.obj["notice_entry", "A"].pk})),
    "notice_close": FormEntry("qz_admin", _r("notice_close", _o("notice")), _r("notice_manage", _o("notice")),
                              button=True),
    "notice_objection": FormEntry("qz_admin", _r("notice_objection", _o("objection"))),
    "notification_channels": FormEntry("jixie_submit", _r("notification_channels")),
    "channel_settings": FormEntry("qz_admin", _r("channel_settings")),
    "delegations": FormEntry("cg_review", _r("delegations")),
    "delegation_end": FormEntry("cg_review", _r("delegation_end", _o("delegation")), _r("delegations"), button=True),
    "conflicts": FormEntry("cg_review", _r("conflicts")),
    "district_import": FormEntry("qz_admin", _r("district_import")),
    "account_reset_password": FormEntry("qz_admin", _r("account_reset_password", _o("account")), button=True),
    "account_signon": FormEntry("qz_admin", _r("account_signon", _o("account"))),
    "account_reset_second_factor": FormEntry("qz_admin", _r("account_reset_second_factor", _o("account")),
                                             button=True),
    "second_factor_enrol": FormEntry("jixie_submit", _r("second_factor_enrol")),
    "task_reassign": FormEntry("qz_admin", _r("task_reassign", _o("task"))),
    "case_decide": FormEntry("qzjg_review", lambda w: reverse("case_decide", kwargs={
        "process_key": "mayday", "pk": _pick("awards.Nomination", state="confirmed")(w)})),
    "certificate_revoke": FormEntry("qz_admin", _r("certificate_revoke", _o("certificate")),
                                    _r("certificate_detail", _o("certificate"))),
    "print_job_create": FormEntry("qz_admin", _r("print_job_create"), _r("certificate_list")),
    "print_job_retry": FormEntry("qz_admin", _r("print_job_retry", _o("print_job")),
                                 _r("print_job_detail", _o("print_job")), button=True),
    # The model workers' home
    "modelhome:campaign_open": FormEntry("qz_admin", _r("modelhome:campaign_open")),
    # Kinds of campaign
    "kinds:create": FormEntry("qz_admin", _r("kinds:create")),
    "kinds:edit": FormEntry("qz_admin", _r("kinds:edit", _o("campaign_kind"))),
    "kinds:import": FormEntry("qz_admin", _r("kinds:import"), _r("kinds:list")),
    "modelhome:application_create": FormEntry("jianzhu_submit", _r("modelhome:application_create",
                                                                    "model-home-2024")),
    "modelhome:application_edit": FormEntry("jianzhu_xm_submit", _r(
        "modelhome:application_edit", _pick("modelhome.Application", state="draft"))),
    "modelhome:application_review": FormEntry("qzjg_review", _r(
        "modelhome:application_review", _pick("modelhome.Application", state="submitted")), _r(
        "modelhome:application_detail", _pick("modelhome.Application", state="submitted"))),
    "modelhome:application_withdraw": FormEntry("yiyuan_hl_submit", _r(
        "modelhome:application_withdraw", _pick("modelhome.Application", state="submitted")), _r(
        "modelhome:application_detail", _pick("modelhome.Application", state="submitted")), button=True),
    "modelhome:assign": FormEntry("qz_admin", _r("modelhome:assign", _pick("modelhome.Application",
                                                                          state="recommended"))),
    "modelhome:decide": FormEntry("qz_admin", _r("modelhome:decide", _pick("modelhome.Application",
                                                                          state="notice_passed"))),
    "modelhome:inspection_edit": FormEntry("qz_inspect2", _r("modelhome:inspection_edit", _pick(
        "modelhome.Application", state="inspecting"))),
    "modelhome:remedy": FormEntry("qz_admin", _r("modelhome:remedy", _pick("modelhome.Application", state="scored")),
                                  _r("modelhome:compare", _pick("modelhome.Application", state="scored"))),
    "modelhome:notice_hold": FormEntry("qz_admin", _r("modelhome:notice_hold", _pick("modelhome.Application",
                                                                                      state="scored")),
                                       _r("modelhome:compare", _pick("modelhome.Application", state="scored"))),
    "modelhome:notice_open": FormEntry("qz_admin", _r("modelhome:notice_open", "model-home-2024"),
                                       _r("modelhome:campaign_detail", "model-home-2024"), button=True),
    "modelhome:reinspect": FormEntry("qz_admin", _r("modelhome:reinspect"), _r("modelhome:register"), button=True),
    "standard_import": FormEntry("qz_admin", _r("standard_import", _o("standard")), _r("standard_detail", _o("standard"))),
    "modelhome:standard_import": FormEntry("qz_admin", _r("modelhome:standard_import", _o("standard")),
                                           _r("modelhome:standard_detail", _o("standard"))),
    # May Day awards
    "awards:campaign_create": FormEntry("qz_admin", _r("awards:campaign_create")),
    "awards:campaign_rules": FormEntry("qz_admin", _r("awards:campaign_rules", _current_campaign)),
    "awards:certificate_reissue": FormEntry("qz_admin", _r("awards:certificate_reissue", _o("certificate")),
                                            _r("certificate_detail", _o("certificate"))),
    "awards:nomination_create": FormEntry("jixie_submit", lambda w: reverse("awards:nomination_create")
                                          + f"?campaign={_current_campaign(w)}&kind=individual"),
    "awards:nomination_edit": FormEntry("jixie_submit", _r("awards:nomination_edit", _pick(
        "awards.Nomination", state="returned", organisation__code="jixie"))),
    "awards:nomination_detail": FormEntry("qzjg_review", NOMINATION_DETAIL),
    "awards:notice_open": FormEntry("qz_admin", _r("awards:notice_open", "mayday-2024"),
                                    _r("awards:campaign_detail", "mayday-2024"), button=True),
    "awards:print_certificates": FormEntry("qz_admin", _r("awards:print_certificates", "mayday-2024"),
                                           _r("awards:award_list", "mayday-2024"), button=True),
    "awards:share_quota": FormEntry("cg_review", _r("awards:share_quota", _current_campaign),
                                    _r("awards:campaign_detail", _current_campaign)),
    "awards:signoff": FormEntry("dept_tax", _r("awards:signoff", _pick("awards.Nomination", state="signoff")),
                                _r("awards:nomination_detail", _pick("awards.Nomination", state="signoff"))),
    "awards:bulk_decide": FormEntry("cg_review", _r("awards:bulk_decide"), _r("inbox"), button=True),
    "inbox_bulk": FormEntry("cg_review", _r("inbox_bulk"), _r("inbox")),
    # Democratic evaluation of cadres
    "cadres:evaluation_create": FormEntry("jixie_submit", _r("cadres:evaluation_create")),
    "cadres:evaluation_edit": FormEntry("yiyuan_submit", _r("cadres:evaluation_edit", "matrix-yiyuan")),
    "cadres:evaluation_submit": FormEntry("yiyuan_submit", _r("cadres:evaluation_submit", "matrix-yiyuan"),
                                          _r("cadres:evaluation_detail", "matrix-yiyuan"), button=True),
    "cadres:evaluation_decide": FormEntry("jixie_chair", _r("cadres:evaluation_decide", JIXIE_EVALUATION),
                                          _r("cadres:evaluation_detail", JIXIE_EVALUATION)),
    "cadres:voters_import": FormEntry("jixie_submit", _r("cadres:voters_import", JIXIE_EVALUATION)),
    "cadres:voters_sign_in": FormEntry("jixie_submit", _r("cadres:voters_sign_in", JIXIE_EVALUATION)),
    "cadres:codes_generate": FormEntry("jixie_submit", _r("cadres:codes_generate", APPROVED_EVALUATION),
                                       _r("cadres:evaluation_detail", APPROVED_EVALUATION)),
    "cadres:slips_print": FormEntry("jixie_submit", _r("cadres:slips_print", APPROVED_EVALUATION),
                                    _r("cadres:evaluation_detail", APPROVED_EVALUATION), button=True),
    "cadres:slip_replace": FormEntry("jixie_submit", _r("cadres:slip_replace", JIXIE_EVALUATION)),
    "cadres:paper_batches": FormEntry("jixie_submit", _r("cadres:paper_batches", JIXIE_EVALUATION)),
    "cadres:paper_batch_confirm": FormEntry("jixie_chair", _r("cadres:paper_batch_confirm", JIXIE_EVALUATION, 1),
                                            _r("cadres:paper_batches", JIXIE_EVALUATION), button=True),
    "cadres:vote": FormEntry("anonymous", _r("cadres:vote", JIXIE_EVALUATION)),
    # Reports to the workers' congress
    "congress:report_edit": FormEntry("yiyuan_submit", _r("congress:report_edit", _pick(
        "congress.Report", state="draft", organisation__code="yiyuan"))),
    "congress:report_decide": FormEntry("cg_review", _r("congress:report_decide", _pick(
        "congress.Report", state="submitted", organisation__code="jixie")), _r(
        "congress:report_detail", _pick("congress.Report", state="submitted", organisation__code="jixie"))),
    "congress:period_open": FormEntry("qz_admin", _r("congress:period_open")),
    # 2024 is closed in the demo (its page shows no form); 2025 has ended and is open.
    "coverage:close_year": FormEntry("qz_admin", _r("coverage:close_year", query="?year=2025")),
    "congress:facts_edit": FormEntry("qz_admin", _r("congress:facts_edit", _o("facts_org"))),
    "congress:facts_import": FormEntry("qz_admin", _r("congress:facts_import"), _r("congress:facts_list")),
    # The JSON API's settings (its own POSTs, JSON, are fuzzed from its schema)
    "api_tokens": FormEntry("jixie_submit", _r("api_tokens")),
    "api_token_revoke": FormEntry("jixie_submit", _r("api_token_revoke", _o("api_token")), button=True),
    "webhooks": FormEntry("qz_admin", _r("webhooks")),
    "webhook_disable": FormEntry("qz_admin", _r("webhook_disable", _o("webhook")), button=True),
}

# POST handlers not fuzzed, with the reason.
NOT_FUZZED = {
    "second_factor_verify": "shows its form only to an account with a confirmed authenticator (none in the demo); "
                            "its one field is second_factor_enrol's, fuzzed there; bad codes are tested in "
                            "tests/security/test_second_factor.py",
    "logout": "ends the session and reads no field",
    "channel_delivery_retry": "a button on a failed delivery (the demo has none) that reads one id; a bad id or "
                              "another district's is a 404 (tests/workflows/test_notification_channels.py)",
    "api:decide": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
    "api:tokens": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
    "api:token": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
    "inbox_bulk_dismiss": "a button that acknowledges the reviewer's own cut-off bulk run and reads no field "
                          "(its access is in the access matrix)",
}


def takes_posted_input(view):
    """Does the view (function or class) read a POST body or a form?"""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "form_class", None) is not None or "POST" in inspect.getsource(view_class)
    source = inspect.getsource(inspect.unwrap(view))
    return any(word in source for word in ("request.POST", "request.FILES", "require_POST", "\"POST\""))

"""Kinds of campaign, their campaigns and cases in the access matrix and
the form fuzzing (the registry: tests/access_registry.py). The world holds
one fixed kind; kinds generated with every field of the palette and every
optional step on and off walk the same matrix and fuzzer in
tests/awards/kinds/test_generated_access.py."""

from tests.access_registry import FormEntry, o, r

# A URL of /awards/kinds/ taking a pk is a kind's (but its campaigns' and
# cases' below).
PAGES = {"kinds": {(): None, ("pk",): "campaign_kind"}}

CASES = {"kind_case": "kind_case"}
# The engine's download of a case's file (a kind's file fields are attachments).
CASE_ATTACHMENTS = {"kind_case": "kind_attachment"}

pk = lambda obj: {"pk": obj.pk}  # noqa: E731


def _first_intermediate(campaign):
    """The first intermediate union of the campaign's district (the
    district's own pk where it has none: the page answers 404)."""
    from workflows.models import Organisation, OrgKind

    return (Organisation.objects.filter(kind=OrgKind.INTERMEDIATE, path__startswith=campaign.district.path)
            .order_by("path").values_list("pk", flat=True).first() or campaign.district_id)


def _share(campaign):
    return {"pk": campaign.pk, "org": _first_intermediate(campaign)}


def _share_url(world):
    from django.urls import reverse

    return reverse("kinds:campaign_share", kwargs=_share(world.obj["kind_campaign", "A"]))

OBJECT_URLS = {
    "kinds:campaign_detail": ("kind_campaign", pk),
    "kinds:case_new": ("kind_campaign", pk),
    "kinds:campaign_notice": ("kind_campaign", pk),
    # The printed notice (the district's staff; before any notice, back to
    # the campaign) and the award list (whoever sees the campaign).
    "kinds:notice_pdf": ("kind_campaign", pk),
    "kinds:award_list": ("kind_campaign", pk),
    "kinds:campaign_quotas": ("kind_campaign", pk),
    "kinds:campaign_rules": ("kind_campaign", pk),
    # An intermediate union's share page: its reviewers and the district's
    # administrator (tests/awards/kinds/test_rules_and_rounds.py: a reviewer
    # of another branch gets a 404).
    "kinds:campaign_share": ("kind_campaign", _share),
    "kinds:case_detail": ("kind_case", pk),
    # A draft's own edit page (its union's submitter only; any other case is a 404).
    "kinds:case_edit": ("kind_draft", pk),
    "kinds:campaign_correct": ("kind_campaign", pk),
    "kinds:case_submit": ("kind_case", pk),
    "kinds:case_decide": ("kind_case", pk),
    "kinds:case_revise": ("kind_case", pk),
    "kinds:case_withdraw": ("kind_case", pk),
    # The lists of what a campaign ends in (the Excel file: the same access
    # as the PDF, and cheaper to make for every persona).
    "kinds:approved_list": ("kind_campaign", lambda obj: {"pk": obj.pk, "fmt": "xlsx"}),
    "kinds:payment_list": ("kind_campaign", lambda obj: {"pk": obj.pk, "fmt": "xlsx"}),
    # The world's certificates are May Day's, which this page refuses (404)
    # to everyone; a kind's own is reissued in tests/awards/kinds/test_endings.py.
    "kinds:certificate_reissue": ("certificate", pk),
    "kinds:case_printed": ("kind_case", pk),
    # The inspectors' scoring step (tests/awards/kinds/test_scoring.py).
    "kinds:case_assign": ("kind_case", pk),
    "kinds:case_score": ("kind_case", pk),
    # A department's sign-off page (awards/kinds/signoffs.py).
    "kinds:case_signoff": ("kind_case", pk),
}

FORMS = {
    "kinds:create": FormEntry("qz_admin", r("kinds:create")),
    "kinds:edit": FormEntry("qz_admin", r("kinds:edit", o("campaign_kind"))),
    "kinds:import": FormEntry("qz_admin", r("kinds:import"), r("kinds:list")),
    "kinds:campaign_open": FormEntry("qz_admin", r("kinds:campaign_open")),
    "kinds:campaign_quotas": FormEntry("qz_admin", r("kinds:campaign_quotas", o("kind_campaign"))),
    "kinds:campaign_share": FormEntry("qz_admin", _share_url),
    "kinds:case_new": FormEntry("jixie_submit", r("kinds:case_new", o("kind_campaign"))),
    "kinds:case_submit": FormEntry("jixie_submit", r("kinds:case_submit", o("kind_draft")),
                                   r("kinds:case_detail", o("kind_draft")), button=True),
    "kinds:case_decide": FormEntry("jixie_chair", r("kinds:case_decide", o("kind_case"))),
    "kinds:case_withdraw": FormEntry("jixie_submit", r("kinds:case_withdraw", o("kind_case")),
                                     r("kinds:case_detail", o("kind_case")), button=True),
    "kinds:case_edit": FormEntry("jixie_submit", r("kinds:case_edit", o("kind_draft"))),
    "kinds:campaign_correct": FormEntry("qz_admin", r("kinds:campaign_correct", o("kind_campaign"))),
}

NOT_FUZZED = {
    "kinds:print_certificates": "a button (then the engine's confirmation page) printing the campaign's "
                                "certificates, reading no field but `confirmed`; the world holds no certificate "
                                "of a kind (tests/awards/kinds/test_certificates_and_printing.py prints some and "
                                "checks who may)",
    "kinds:campaign_rules": "the engine's mix-rule form offers the choice and yes/no fields of the campaign's "
                            "form, and the world's kind has none (the page then shows no form); its refusals "
                            "(a value of another field, a field no rule counts by) are in "
                            "tests/awards/kinds/test_rules_and_rounds.py",
    "kinds:case_revise": "the version's form shown only for a case returned for revision, which the world has "
                         "none of; fuzzed on generated kinds' returned cases in "
                         "tests/awards/kinds/test_generated_access.py, its outcomes in test_route_steps.py",
    "kinds:certificate_reissue": "the engine's reissue form (one comment, fuzzed on May Day's reissue); the "
                                 "world holds no certificate of a kind (tests/awards/kinds/test_endings.py "
                                 "reissues one and checks who may)",
    "kinds:case_assign": "the inspectors' choice (ticks among the district's inspectors) offered only for a case "
                         "awaiting its inspectors, which the world has none of; fuzzed on the generated kind with "
                         "the scoring (tests/awards/kinds/test_generated_access.py), its refusals and outcomes "
                         "in tests/awards/kinds/test_scoring.py",
    "kinds:case_score": "the engine's score sheet (workflows.scoring.forms.SheetForm) shown only to an inspector "
                        "assigned to the case, which the world's cases have none of; fuzzed as the assigned "
                        "inspector on the generated kind with the scoring (test_generated_access.py), a bad "
                        "score re-shown in tests/awards/kinds/test_scoring.py",
    "kinds:case_signoff": "the engine's sign-off form (workflows.signoffs.forms.SignoffForm: a choice and a "
                          "comment) shown only to an officer of a department asked for the case, which the "
                          "world's kind asks none; its refusals and outcomes in "
                          "tests/awards/kinds/test_kind_signoffs.py",
    "kinds:campaign_notice": "a preview whose confirmation publishes the campaign's cases awaiting their notice "
                             "and reads no field but `confirmed` (its access is in the access matrix; "
                             "tests/awards/kinds/test_notice_and_award_list.py)",
}


REACHED_ELSEWHERE = {
    "kinds:case_assign": "only a case awaiting its inspectors is assigned them, and the world's cases are not; the "
                         "district administrator reaches it on the generated kind with the scoring, in each state "
                         "(tests/awards/kinds/test_generated_access.py), and assigns in test_scoring.py",
    "kinds:case_score": "only an inspector assigned to the case scores it, and the world's cases have none; the "
                        "assigned inspector reaches it on the generated kind with the scoring, in each state "
                        "(tests/awards/kinds/test_generated_access.py: an unassigned one gets 404), and they "
                        "score in test_scoring.py",
    "kinds:case_revise": "only a case returned for revision is revised, and the world's cases are not; its "
                         "union's submitter revises one in tests/awards/kinds/test_route_steps.py and reaches "
                         "it on every generated kind in test_generated_access.py",
    "kinds:certificate_reissue": "the world's certificates are May Day's, refused here to everyone; the "
                                 "district reissues a kind's own in tests/awards/kinds/test_endings.py",
    "kinds:case_signoff": "only an officer of a department asked for the case answers, and the world's kind asks "
                          "none; the asked officers answer in tests/awards/kinds/test_kind_signoffs.py and reach "
                          "it on the generated kinds with sign-offs in test_generated_access.py",
}


def world_objects(world):
    """Each district's kind of campaign, a campaign of it, and in each
    branch a case handed in and a draft (A and B: the demo's district)."""
    for slot, district, admin, union, submitter in (
            ("A", "district", "qz_admin", "jixie", "jixie_submit"),
            ("B", "district", "qz_admin", "yiyuan", "yiyuan_submit"),
            ("X", "other-district", "other_admin", "other-union", "other_submit")):
        kind = _campaign_kind(world.org[district], world.users[admin])
        world.obj["campaign_kind", slot] = kind
        _kind_case(world, slot, kind, world.org[union], world.users[admin], world.users[submitter])


def _campaign_kind(district, admin):
    """The district's honour kind (the demo's where the demo seeded it; one
    per district, made once). Not the demo's aid kind: its form asks for a
    file hand_in does not build."""
    from awards.kinds.models import CampaignKind
    from demo.kinds import OUTSTANDING_UNION_WORKER
    from awards.kinds.services import do_create_kind

    code = "youxiu-gonghui"  # demo.kinds.KINDS
    kind = CampaignKind.objects.filter(district=district, code=code).first()
    if kind is None:
        kind = do_create_kind(district=district, code=code, definition=OUTSTANDING_UNION_WORKER, actor=admin).kind
    return kind


def _kind_case(world, slot, kind, union, admin, submitter):
    """A campaign of the kind (one per version) and a case of `union` handed in to it, and a draft."""
    import datetime

    from django.utils import timezone

    from awards.kinds.cases import do_open_campaign
    from awards.kinds.models import KindCampaign
    from tests.awards.kinds.conftest import hand_in

    version = kind.current_version
    campaign = KindCampaign.objects.filter(offers=version).first() or do_open_campaign(
        versions=[version], year=2026, title="矩阵评选", actor=admin,
        deadline=timezone.localdate() + datetime.timedelta(days=30))
    world.obj["kind_campaign", slot] = campaign
    world.obj["kind_case", slot] = hand_in(campaign, organisation=union, submitter=submitter, n=ord(slot))
    world.obj["kind_draft", slot] = hand_in(campaign, organisation=union, submitter=submitter, n=ord(slot) + 100,
                                            submit=False)

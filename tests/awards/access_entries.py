"""May Day awards in the access matrix and the form fuzzing (the registry:
tests/access_registry.py)."""

from django.urls import reverse
from django.utils import timezone

from tests.access_registry import FormEntry, o, pick, r

# A URL of /awards/ taking a pk is a nomination's, a code a campaign's.
PAGES = {"awards": {(): None, ("pk",): "nomination", ("code",): "mayday_campaign"}}

CASES = {"mayday": "nomination"}
CASE_ATTACHMENTS = {"mayday": "nomination_attachment"}

OBJECT_URLS = {
    # The old download address (before the engine held the attachments): the
    # case and the attachment's old id; it redirects to the engine's.
    "awards:attachment_download": ("nomination_attachment", lambda a: {"case_pk": a.case_id,
                                                                       "old_pk": a.legacy_id}),
    "awards:certificate_reissue": ("certificate", lambda c: {"pk": c.pk}),
}


def private_values(world):
    """ID numbers and phones of nominees."""
    from awards.mayday.models import Nomination

    values = set()
    for id_number, phone in Nomination.objects.values_list("id_number", "contact_phone"):
        values.update(v for v in (id_number, phone) if v and len(v) >= 6)
    return values


def _current_campaign(w):
    return f"mayday-{timezone.localdate().year}"


NOMINATION_DETAIL = r("awards:nomination_detail", pick("awards.Nomination", state="confirmed"))

FORMS = {
    "awards:campaign_create": FormEntry("qz_admin", r("awards:campaign_create")),
    "awards:campaign_rules": FormEntry("qz_admin", r("awards:campaign_rules", _current_campaign)),
    "awards:certificate_reissue": FormEntry("qz_admin", r("awards:certificate_reissue", o("certificate")),
                                            r("certificate_detail", o("certificate"))),
    "awards:nomination_create": FormEntry("jixie_submit", lambda w: reverse("awards:nomination_create")
                                          + f"?campaign={_current_campaign(w)}&kind=individual"),
    "awards:nomination_edit": FormEntry("jixie_submit", r("awards:nomination_edit", pick(
        "awards.Nomination", state="returned", organisation__code="jixie"))),
    "awards:nomination_detail": FormEntry("qzjg_review", NOMINATION_DETAIL),
    "awards:notice_open": FormEntry("qz_admin", r("awards:notice_open", "mayday-2024"),
                                    r("awards:campaign_detail", "mayday-2024"), button=True),
    "awards:print_certificates": FormEntry("qz_admin", r("awards:print_certificates", "mayday-2024"),
                                           r("awards:award_list", "mayday-2024"), button=True),
    "awards:share_quota": FormEntry("cg_review", r("awards:share_quota", _current_campaign),
                                    r("awards:campaign_detail", _current_campaign)),
    "awards:signoff": FormEntry("dept_tax", r("awards:signoff", pick("awards.Nomination", state="signoff")),
                                r("awards:nomination_detail", pick("awards.Nomination", state="signoff"))),
    "awards:bulk_decide": FormEntry("cg_review", r("awards:bulk_decide"), r("inbox"), button=True),
}


def world_objects(world):
    """Branches A and B: an awarded nomination of the demo and the latest
    campaign; X: a campaign of the other district with a submitted
    nomination and a certificate."""
    import datetime

    from awards.mayday.models import AwardKind, Campaign, Nomination
    from workflows.models import Quota
    from awards.mayday.services import nomination_save_draft, nomination_submit
    from tests.access_world import _certificate
    from tests.conftest import INDIVIDUAL, valid_id_number

    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        world.obj["nomination", slot] = Nomination.objects.filter(
            organisation=world.org[code], state="awarded").order_by("pk").first()
        world.obj["mayday_campaign", slot] = Campaign.objects.filter(district=world.org["district"]).order_by(
            "-year").first()
    town2, union2, submit2 = world.org["other-town"], world.org["other-union"], world.users["other_submit"]
    campaign = Campaign.objects.create(
        code="other-mayday", year=2024, title="另一区五一劳动奖评选", district=world.org["other-district"],
        submission_deadline=timezone.now() + datetime.timedelta(days=30),
        certificate_number_format="另工奖〔{year}〕第{seq:04d}号",
    )
    for kind in AwardKind.values:
        Quota.objects.create(scope=campaign, organisation=town2, category=kind, count=3)
    nomination = Nomination(campaign=campaign, organisation=union2,
                            **{**INDIVIDUAL, "sector": "institution", "id_number": valid_id_number()})
    nomination_save_draft(nomination=nomination, actor=submit2)
    nomination_submit(nomination=nomination, actor=submit2)
    world.obj["mayday_campaign", "X"] = campaign
    world.obj["nomination", "X"] = nomination
    world.obj["certificate", "X"] = _certificate(nomination, union2, "other-2024")

"""The model workers' home in the access matrix and the form fuzzing (the
registry: tests/access_registry.py)."""

from tests.access_registry import FormEntry, o, pick, r

# A URL of /awards/model-home/ taking a pk is an application's (but the
# standards' and titles' below), a code a campaign's.
PAGES = {"modelhome": {(): None, ("pk",): "application", ("code",): "home_campaign"}}

CASES = {"modelhome": "application"}
CASE_ATTACHMENTS = {"modelhome": "application_attachment"}

pk = lambda obj: {"pk": obj.pk}  # noqa: E731

OBJECT_URLS = {
    # The old download address: the case and the attachment's old id.
    "modelhome:attachment_download": ("application_attachment", lambda a: {"case_pk": a.case_id,
                                                                           "old_pk": a.legacy_id}),
    # The pages of a standard name one of its versions.
    # The engine's pages of the scoring standards model home scores
    # against (workflows.scoring), and model home's old addresses of them.
    "standard_detail": ("standard", pk),
    "standard_export": ("standard", pk),
    "standard_import": ("standard", pk),
    "modelhome:standard_detail": ("standard", pk),
    "modelhome:standard_export": ("standard", pk),
    "modelhome:standard_import": ("standard", pk),
    "modelhome:title_detail": ("title", pk),
    "modelhome:title_certificate": ("title", pk),
}


NO_OBJECT = {"standard_list": None}


def holder(obj):
    from awards.modelhome.models import Title
    from workflows.models import StandardVersion

    if isinstance(obj, StandardVersion):
        return None, obj.standard.district
    if isinstance(obj, Title):
        return None, obj.holder
    return None


def _application(state):
    return pick("modelhome.Application", state=state)


FORMS = {
    "modelhome:campaign_open": FormEntry("qz_admin", r("modelhome:campaign_open")),
    "modelhome:application_create": FormEntry("jianzhu_submit", r("modelhome:application_create",
                                                                   "model-home-2024")),
    "modelhome:application_edit": FormEntry("jianzhu_xm_submit", r("modelhome:application_edit",
                                                                    _application("draft"))),
    "modelhome:application_review": FormEntry("qzjg_review", r(
        "modelhome:application_review", _application("submitted")), r(
        "modelhome:application_detail", _application("submitted"))),
    "modelhome:application_withdraw": FormEntry("yiyuan_hl_submit", r(
        "modelhome:application_withdraw", _application("submitted")), r(
        "modelhome:application_detail", _application("submitted")), button=True),
    "modelhome:assign": FormEntry("qz_admin", r("modelhome:assign", _application("recommended"))),
    "modelhome:decide": FormEntry("qz_admin", r("modelhome:decide", _application("notice_passed"))),
    "modelhome:inspection_edit": FormEntry("qz_inspect2", r("modelhome:inspection_edit",
                                                             _application("inspecting"))),
    "modelhome:remedy": FormEntry("qz_admin", r("modelhome:remedy", _application("scored")),
                                  r("modelhome:compare", _application("scored"))),
    "modelhome:notice_hold": FormEntry("qz_admin", r("modelhome:notice_hold", _application("scored")),
                                       r("modelhome:compare", _application("scored"))),
    "modelhome:notice_open": FormEntry("qz_admin", r("modelhome:notice_open", "model-home-2024"),
                                       r("modelhome:campaign_detail", "model-home-2024"), button=True),
    "modelhome:reinspect": FormEntry("qz_admin", r("modelhome:reinspect"), r("modelhome:register"), button=True),
    "standard_import": FormEntry("qz_admin", r("standard_import", o("standard")), r("standard_detail", o("standard"))),
}

NOT_FUZZED = {
    "modelhome:standard_import": "the old address of the engine's standard_import, the same view; its page's form "
                                 "posts to the engine's address, fuzzed as standard_import",
}


def world_objects(world):
    """Branches A and B: the union's first application and title of the
    demo, the latest campaign and the standard of the demo's district; X:
    the other district's standard and campaign with a submitted application."""
    from awards.modelhome import services
    from awards.modelhome.models import Application, Campaign, Title
    from workflows.scoring.standards import standard_create
    from demo.modelhome_standard import DEMO_STANDARD
    from tests.awards.modelhome.conftest import full_answers

    district = world.org["district"]
    for slot, code in (("A", "jixie"), ("B", "yiyuan")):
        org = world.org[code]
        world.obj["application", slot] = Application.objects.filter(organisation=org).order_by("pk").first()
        world.obj["title", slot] = Title.objects.filter(holder=org).order_by("pk").first()
        world.obj["home_campaign", slot] = Campaign.objects.filter(district=district).order_by("-year").first()
        # The model-home campaign's standard (the district has others: a kind's own).
        standard = world.obj["home_campaign", slot].standard_version.standard
        world.obj["standard", slot] = standard.versions.order_by("pk").first()
    d2, union2 = world.org["other-district"], world.org["other-union"]
    version = standard_create(district=d2, code="other-standard", name="另一区建家标准", data=DEMO_STANDARD,
                              actor=world.users["other_admin"])
    campaign = Campaign.objects.create(code="other-model-home", year=2024, title="另一区模范职工之家评选",
                                       district=d2, standard_version=version)
    application = Application(campaign=campaign, organisation=union2, chair_name="李主席", staff_count=100,
                              member_count=98, satisfaction_surveyed=50, satisfaction_satisfied=49, deeds="建家。")
    services.application_save(application=application, actor=world.users["other_submit"],
                              answers=full_answers(campaign), submit=True)
    world.obj["application", "X"] = application
    world.obj["home_campaign", "X"] = campaign
    world.obj["standard", "X"] = version  # the pages of a standard name one of its versions

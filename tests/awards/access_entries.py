"""May Day in the access matrix and the form fuzzing (the registry:
tests/access_registry.py).

May Day runs as three campaign kinds (docs/mayday-as-kinds.md): its pages
are the kinds' pages of a May Day campaign, asked about one with cases of
every state and fuzzed in tests/awards/kinds/test_generated_access.py
(`test_the_mayday_campaign_*`). What is left here is its old addresses
(/awards/…, /cases/mayday/…, /api/v1/processes/mayday/…): after the switch
they are redirects (awards/legacy), each a 404 for whoever does not see
the campaign or the case carried from the nomination, and a 301/303/308
for whoever does (§3).

The old addresses' rows (`LEGACY_OBJECT_URLS`, `LEGACY_NO_OBJECT`) are this
module's entries, walked by the access matrix with every other page."""

from django.urls import reverse


def old_pk(case):
    """The nomination a carried case was carried from (its old address)."""
    return {"pk": case.carried_from_id}


def _legacy_rows():
    """{name: (kind, kwargs)} and {name: URL or None}: every route of
    awards/legacy/urls.py, by its parameters (a campaign's code, a
    nomination's old id, a certificate's id), and the engine's and the
    API's old addresses of a case."""
    from awards.legacy.urls import engine_urlpatterns, urlpatterns

    object_urls, no_object = {}, {}
    for pattern in urlpatterns:
        name, parameters = f"awards:{pattern.name}", set(pattern.pattern.converters)
        if parameters == {"code"}:
            object_urls[name] = ("legacy_campaign", lambda c: {"code": c.code})
        elif parameters == {"case_pk", "old_pk"}:
            object_urls[name] = ("legacy_attachment", lambda a: {"case_pk": a.case.carried_from_id,
                                                                  "old_pk": a.legacy_id})
        elif name == "awards:certificate_reissue":
            object_urls[name] = ("legacy_certificate", lambda c: {"pk": c.pk})
        elif parameters == {"pk"}:
            object_urls[name] = ("legacy_case", old_pk)
        elif name == "awards:nomination_create":
            no_object[name] = lambda name=name: reverse(name) + "?campaign=mayday-carried&kind=individual"
        else:
            assert not parameters, name
            no_object[name] = None
    for pattern in engine_urlpatterns:
        if pattern.pattern.converters:
            object_urls[pattern.name] = ("legacy_case", old_pk)
        else:
            no_object[pattern.name] = None
    return object_urls, no_object


LEGACY_OBJECT_URLS, LEGACY_NO_OBJECT = _legacy_rows()
# A redirect takes no field: the old forms' POSTs are answered 303 (nothing
# saved) or 308 to a page fuzzed under its own name; the API's decision shim
# is the kinds API's decision (fuzzed from its schema).
LEGACY_NOT_FUZZED = {name: "an old May Day address (awards/legacy): a redirect that reads no field, or the "
                           "kinds API's decision under its old address; its answers are in "
                           "tests/awards/test_legacy_urls.py"
                     for name in [*LEGACY_OBJECT_URLS, *LEGACY_NO_OBJECT]}


def legacy_objects(world):
    """The old addresses' objects: a May Day campaign of kinds with a code
    (A and B: the demo's district; X: the other district) and in each
    branch a case carried from a nomination (its old id), with a file of an
    old id; a certificate of the case of A and X."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from awards.kinds import cases as case_services
    from awards.kinds import services
    from awards.kinds.models import CampaignKind, KindCase
    from tests.access_world import _certificate
    from tests.conftest import MAYDAY_STARTERS, MEDAL_ANSWERS, PDF_BYTES, mayday_definition, valid_id_number
    from workflows.models import Attachment

    nomination, _ = ContentType.objects.get_or_create(app_label="awards", model="nomination")
    for slots, district, admin, code in ((("A", "B"), "district", "qz_admin", "mayday-carried"),
                                         (("X",), "other-district", "other_admin", "mayday-carried-x")):
        district, admin = world.org[district], world.users[admin]
        versions = []
        for starter in MAYDAY_STARTERS:
            kind = CampaignKind.objects.filter(district=district, code=starter).first()
            definition = mayday_definition(starter, district)
            versions.append(services.do_revise_kind(kind=kind, definition=definition, actor=admin) if kind else
                            services.do_create_kind(district=district, code=starter, definition=definition,
                                                    actor=admin))
        campaign = case_services.do_open_campaign(versions=versions, year=2024, title="2024年度五一劳动奖评选",
                                                  code=code, actor=admin,
                                                  deadline=timezone.now() + datetime.timedelta(days=30))
        for slot in slots:
            union, submitter = {"A": ("jixie", "jixie_submit"), "B": ("yiyuan", "yiyuan_submit"),
                                "X": ("other-union", "other_submit")}[slot]
            n = {"A": 901, "B": 902, "X": 903}[slot]
            version = versions[1]  # the medal
            form = case_services.form_class(version)(
                dict(MEDAL_ANSWERS, id_number=valid_id_number(f"11010119850301{n}")))
            assert form.is_valid(), form.errors
            case = case_services.do_create_case(campaign=campaign, organisation=world.org[union],
                                                name=f"五一候选人{n}", form=form, actor=world.users[submitter],
                                                submit=True, version=version)
            KindCase.objects.filter(pk=case.pk).update(carried_from_type=nomination, carried_from_id=880000 + n)
            case.refresh_from_db()
            attachment = Attachment(case=case, uploaded_by=world.users[submitter], original_name="附件.pdf",
                                    content_type="application/pdf", size=len(PDF_BYTES))
            attachment.file.save("附件.pdf", ContentFile(PDF_BYTES), save=False)
            attachment.save()
            Attachment.objects.filter(pk=attachment.pk).update(legacy_id=770000 + n)
            attachment.refresh_from_db()
            world.obj["legacy_campaign", slot] = campaign
            world.obj["legacy_case", slot] = case
            world.obj["legacy_attachment", slot] = attachment
            world.obj["legacy_certificate", slot] = _certificate(case, world.org[union], f"{code}-{slot}")


# The old addresses are the site's (awards/urls.py serves awards/legacy).
OBJECT_URLS, NO_OBJECT, NOT_FUZZED = LEGACY_OBJECT_URLS, LEGACY_NO_OBJECT, LEGACY_NOT_FUZZED


def world_objects(world):
    legacy_objects(world)

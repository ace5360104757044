"""Kinds of campaign in the access matrix and the form fuzzing (the
registry: tests/access_registry.py)."""

from tests.access_registry import FormEntry, o, r

# A URL of /awards/kinds/ taking a pk is a kind's.
PAGES = {"kinds": {(): None, ("pk",): "campaign_kind"}}

FORMS = {
    "kinds:create": FormEntry("qz_admin", r("kinds:create")),
    "kinds:edit": FormEntry("qz_admin", r("kinds:edit", o("campaign_kind"))),
    "kinds:import": FormEntry("qz_admin", r("kinds:import"), r("kinds:list")),
}


def world_objects(world):
    """The kind of campaign of each district (A and B: the demo's district)."""
    for slot, district, admin in (("A", "district", "qz_admin"), ("B", "district", "qz_admin"),
                                  ("X", "other-district", "other_admin")):
        world.obj["campaign_kind", slot] = _campaign_kind(world.org[district], world.users[admin])


def _campaign_kind(district, admin):
    """The district's kind of campaign (one per district, made once)."""
    from awards.kinds.models import CampaignKind
    from awards.kinds.samples import OUTSTANDING_UNION_WORKER
    from awards.kinds.services import do_create_kind

    kind = CampaignKind.objects.filter(district=district).first()
    if kind is None:
        kind = do_create_kind(district=district, code="youxiu", definition=OUTSTANDING_UNION_WORKER, actor=admin).kind
    return kind

"""awards 0010: May Day's own quota rows move into the engine's table
(workflows.Quota). The old table is made again from the migrations' state
before the move (in the test's transaction, rolled back after it), rows
are written into it as the old code wrote them, and the copy runs: every
row arrives with its campaign, union, award and places, each share under
its parent's copy; run backwards, the rows come back."""

import importlib

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from awards.mayday.models import Campaign
from workflows.models import Quota

BEFORE = [("awards", "0010_quotas_to_engine"), ("workflows", "0021_quotas_for_every_process")]
COPYING = importlib.import_module("awards.migrations.0010_quotas_to_engine")


def _old_table():
    """The historical apps with May Day's quota table made in the current
    transaction (the editor without its context: SQLite refuses that inside
    a transaction; its deferred SQL is not needed for the copy)."""
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []
    editor.create_model(apps.get_model("awards", "Quota"))
    return apps


def test_every_quota_row_is_carried_into_the_engine_and_back(tree, campaign):
    other = Campaign.objects.create(
        code="md-other", year=campaign.year, title="另一届", district=tree.district,
        submission_deadline=campaign.submission_deadline,
    )
    Quota.objects.all().delete()
    old = _old_table()
    OldQuota = old.get_model("awards", "Quota")
    # A share with a lower id than its parent's, on purpose.
    OldQuota.objects.create(pk=40, campaign_id=campaign.pk, organisation_id=tree.town_a.pk,
                                     kind="individual", count=5)
    OldQuota.objects.create(pk=7, campaign_id=campaign.pk, organisation_id=tree.union_a1.pk,
                            kind="individual", count=2, parent_id=40)
    OldQuota.objects.create(pk=41, campaign_id=campaign.pk, organisation_id=tree.town_b.pk, kind="team", count=0)
    OldQuota.objects.create(pk=42, campaign_id=other.pk, organisation_id=tree.town_a.pk, kind="unit", count=9)

    COPYING.forwards(old, None)

    rows = {(q.scope_id, q.organisation_id, q.category): q for q in Quota.objects.all()}
    assert {key: q.count for key, q in rows.items()} == {
        (campaign.pk, tree.town_a.pk, "individual"): 5,
        (campaign.pk, tree.union_a1.pk, "individual"): 2,
        (campaign.pk, tree.town_b.pk, "team"): 0,
        (other.pk, tree.town_a.pk, "unit"): 9,
    }
    assert {q.scope_type for q in rows.values()} == {ContentType.objects.get_for_model(Campaign)}
    share = rows[(campaign.pk, tree.union_a1.pk, "individual")]
    assert share.parent == rows[(campaign.pk, tree.town_a.pk, "individual")]
    assert {(q.organisation_id, q.count) for q in Quota.objects.filter(awards_campaign=campaign)} == {
        (tree.town_a.pk, 5), (tree.union_a1.pk, 2), (tree.town_b.pk, 0),
    }

    OldQuota.objects.all().delete()
    COPYING.backwards(old, None)
    assert not Quota.objects.exists()
    back = {(q.campaign_id, q.organisation_id, q.kind): q for q in OldQuota.objects.all()}
    assert {key: q.count for key, q in back.items()} == {
        (campaign.pk, tree.town_a.pk, "individual"): 5,
        (campaign.pk, tree.union_a1.pk, "individual"): 2,
        (campaign.pk, tree.town_b.pk, "team"): 0,
        (other.pk, tree.town_a.pk, "unit"): 9,
    }
    assert back[(campaign.pk, tree.union_a1.pk, "individual")].parent_id == \
        back[(campaign.pk, tree.town_a.pk, "individual")].pk

"""The migrations that made model home's scoring standards the engine's
(workflows 0021, modelhome 0005-0006): model home's old tables are made
again from the migrations' state before the move (in the test's
transaction, rolled back after it), rows are written into them as the old
code wrote them, and the copying migration runs. Every standard, version,
section and item arrives with its id and content, so a campaign's version,
an answer's and an inspector's score's item, an evidence file's kind (the
item's id) and audit entries' object ids still name the same row; and the
next new row gets an id after them."""

import datetime
import importlib
import types
from decimal import Decimal

from django.db import connection
from django.db.models import Max
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.awards.modelhome.conftest import fill, mh  # noqa: F401 (fixture)

BEFORE = [("modelhome", "0004_delete_applicationattachment"), ("workflows", "0021_scoring_standards")]
COPYING = "awards.modelhome.migrations.0005_standards_copied_to_engine"
OLD = ("modelhome.Standard", "modelhome.StandardVersion", "modelhome.Section", "modelhome.Item")


def _old_tables():
    """The historical apps before the move, model home's four standard
    tables made in the current transaction (their deferred SQL, indexes and
    PostgreSQL's foreign keys, is not needed for the copy)."""
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []
    for label in OLD:
        editor.create_model(apps.get_model(label))
    return apps


def test_every_standard_row_is_carried_into_the_engine_with_its_id(mh):  # noqa: F811
    from awards.modelhome.models import InspectionScore, ItemAnswer
    from workflows.models import Standard, StandardItem, StandardSection, StandardVersion

    # Ids above any a test before this one left in the sequences (a copy
    # keeps its ids, so they must be free whatever ran first).
    B = max(model.objects.aggregate(top=Max("pk"))["top"] or 0
            for model in (Standard, StandardVersion, StandardSection, StandardItem)) + 10000
    old = _old_tables()
    when = timezone.now() - datetime.timedelta(days=400)
    standard = old.get_model("modelhome", "Standard").objects.create(
        pk=(B + 701), code="old-standard", name="旧考核标准", district_id=mh.district.pk, created=when)
    Version = old.get_model("modelhome", "StandardVersion")
    v1 = Version.objects.create(pk=(B + 801), standard=standard, number=1, qualified_threshold=Decimal("70"),
                                model_threshold=Decimal("88.5"), note="首版", created_by_id=mh.admin_d.pk, created=when)
    v2 = Version.objects.create(pk=(B + 805), standard=standard, number=2, created=when)
    Section = old.get_model("modelhome", "Section")
    s1 = Section.objects.create(pk=(B + 901), version=v1, position=1, title="一、组织建设")
    s2 = Section.objects.create(pk=(B + 907), version=v2, position=1, title="一、组织")
    Item = old.get_model("modelhome", "Item")
    rows = [
        ((B + 1001), s1, 1, "1.1", "工会组织健全", "scored", Decimal("60"), True, "选举批复"),
        ((B + 1002), s1, 2, "1.2", "获表彰", "bonus", Decimal("3"), False, ""),
        ((B + 1009), s2, 1, "1.1", "未建立职代会制度", "veto", Decimal("0"), False, ""),
    ]
    for pk, section, position, code, text, kind, points, mandatory, guidance in rows:
        Item.objects.create(pk=pk, section=section, position=position, code=code, text=text, kind=kind,
                            max_points=points, mandatory=mandatory, guidance=guidance)

    importlib.import_module(COPYING).forwards(old, types.SimpleNamespace(connection=connection))

    copied = Standard.objects.get(pk=(B + 701))
    assert (copied.code, copied.name, copied.district_id, copied.created) == (
        "old-standard", "旧考核标准", mh.district.pk, when)
    first = StandardVersion.objects.get(pk=(B + 801))
    assert (first.standard_id, first.number, first.qualified_threshold, first.model_threshold, first.note,
            first.created_by_id) == ((B + 701), 1, Decimal("70"), Decimal("88.5"), "首版", mh.admin_d.pk)
    assert list(copied.versions.order_by("number").values_list("pk", flat=True)) == [(B + 801), (B + 805)]
    assert dict(StandardSection.objects.filter(pk__in=[(B + 901), (B + 907)]).values_list("pk", "version_id")) == {
        (B + 901): (B + 801), (B + 907): (B + 805)}
    for pk, section, position, code, text, kind, points, mandatory, guidance in rows:
        item = StandardItem.objects.get(pk=pk)
        assert (item.section_id, item.position, item.code, item.text, item.kind, item.max_points, item.mandatory,
                item.guidance) == (section.pk, position, code, text, kind, points, mandatory, guidance)
    assert [i.pk for i in first.ordered_items()] == [(B + 1001), (B + 1002)]
    # Scores written against the old ids now name the engine's same items.
    application = fill(mh, submit=False)
    answer = ItemAnswer.objects.create(application=application, item_id=(B + 1001), score=Decimal("55"))
    assert answer.item.code == "1.1" and answer.item.section.version.standard.code == "old-standard"
    assert not InspectionScore.objects.filter(item_id__in=[(B + 1001), (B + 1002), (B + 1009)]).exists()
    # The next rows follow the copied ids (PostgreSQL's sequences were moved on).
    newer = StandardVersion.objects.create(standard=copied, number=3)
    assert newer.pk > (B + 805)
    assert StandardItem.objects.create(section=StandardSection.objects.create(version=newer, position=1, title="x"),
                                       position=1, code="9", text="y").pk > (B + 1009)

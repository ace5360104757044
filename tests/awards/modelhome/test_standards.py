"""A running campaign keeps its version of the scoring standard: revising
the standard (the engine's, tests/workflows/test_scoring_standards.py)
makes a new version, and the campaign's sheet is still checked on its own."""

from decimal import Decimal

import pytest

from workflows.scoring.sheet import Incomplete
from workflows.scoring.standards import standard_revise, version_data

from .conftest import fill, full_answers


def test_editing_a_standard_in_use_makes_a_new_version_and_the_campaign_keeps_its_own(mh):
    used = mh.campaign.standard_version
    application = fill(mh, submit=False)
    data = version_data(used)
    data["sections"][0]["items"][0]["points"] = Decimal("5")  # 1.1 from 3 to 5 points
    data["model"] = Decimal("92")
    new = standard_revise(standard=used.standard, data=data, actor=mh.admin_d)
    assert new.number == 2 and new.pk != used.pk
    mh.campaign.refresh_from_db()
    assert mh.campaign.standard_version_id == used.pk
    assert used.ordered_items().get(code="1.1").max_points == Decimal("3") and used.model_threshold == 90
    assert new.ordered_items().get(code="1.1").max_points == Decimal("5")
    # The running campaign still scores on its own version: 1.1 over 3 is refused.
    from awards.modelhome import services

    with pytest.raises(Incomplete, match="1.1"):
        services.application_save(application=application, actor=mh.submitter, submit=True,
                                  answers=full_answers(mh.campaign, overrides={"1.1": {"score": Decimal("5")}}))

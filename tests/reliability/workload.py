"""Work for the crash test to decide: nominations of the demo's
mayday-2024 campaign waiting at each step (the chairs' confirmation, the
intermediate and the district reviews, the district's decision after a
public notice that passed), made through the real services as grow_demo
makes its own. Run inside the installation:

    manage.py shell -c "from tests.reliability.workload import prepare; prepare(20)"
"""

import datetime

from django.test.utils import override_settings
from django.utils import timezone

from demo.management.commands.grow_demo import Cast, Command as Grow
from awards.mayday.models import Campaign
from workflows.models import Quota
from awards.mayday.notices import campaign_notice_open
from workflows.notices.services import close_notice

CAMPAIGN = "mayday-2024"
# grow_demo's ROUTE names where a nomination stops; "awarded" stops it
# before the notice, which prepare() then opens and closes.
WAITING = ("submitted", "confirmed", "intermediate_approved", "awarded")
# Far from the serial numbers grow_demo would use.
FIRST_INDEX = 90000


def prepare(per_step):
    """`per_step` nominations waiting at each of the four steps."""
    # Last year's campaign closed its submissions long ago: this test
    # installation reopens them, so nominations (and resubmissions) go in.
    Campaign.objects.filter(code=CAMPAIGN).update(submission_deadline=timezone.now() + datetime.timedelta(days=365))
    campaign = Campaign.objects.get(code=CAMPAIGN)
    grow = Grow()
    grow.cast = cast = Cast(campaign)
    Quota.objects.filter(awards_campaign=campaign, parent__isnull=True).update(count=10 * per_step + 100)
    to_decide = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for n in range(per_step * len(WAITING)):
            i = FIRST_INDEX + n
            route = WAITING[n % len(WAITING)]
            unit = cast.awarded_from[n % 2] if route == "awarded" else cast.demo_units[n % len(cast.demo_units)]
            nomination = grow.drive(campaign, i, unit, route)
            if route == "awarded":
                to_decide.append(nomination)
        notice = campaign_notice_open(campaign=campaign, actor=cast.admin, nominations=to_decide,
                                      opened_on=datetime.date(2024, 4, 8))
        close_notice(notice=notice, today=notice.closes_on + datetime.timedelta(days=1))
    print(f"prepared {per_step} nominations at each of {len(WAITING)} steps")

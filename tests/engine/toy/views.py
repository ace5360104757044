"""The toy's pages built on the engine's page parts: its campaign's
places and mix rules (workflows.quotas.rules_page) and its inspectors'
pages (workflows.scoring.pages). As a process does: the object is found
through the process's own reach (404 outside it), the engine does the rest."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from tests.engine.toy.models import ToyCampaign
from workflows.quotas.rules_page import rules_page


@login_required
def campaign_rules(request, code):
    return rules_page(request, get_object_or_404(ToyCampaign, code=code), all_label="All sizes",
                      refusal="Only the district administrator sets the toy's places and rules.",
                      help_text="e.g. Large grants: at most 40 per cent")

"""The kinds' admin, for the district's data stewards: campaigns, cases
and kinds are shown, never added, changed or deleted here. A case changes
only through the engine's decisions, a campaign through its services and a
kind through the editor (a new version): each audited."""

from django.contrib import admin

from workflows.admin import ReadOnlyAdmin, ReadOnlyInline
from workflows.admin_inlines import AttachmentInline

from .models import CampaignKind, CampaignOffer, KindCampaign, KindCase, KindCaseRound, KindVersion


class OfferInline(ReadOnlyInline):
    model = CampaignOffer
    fields = ["version", "position"]


@admin.register(KindCampaign)
class KindCampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "district", "deadline"]
    list_filter = ["year"]
    search_fields = ["title"]
    list_select_related = ["district"]
    inlines = [OfferInline]


class RoundInline(ReadOnlyInline):
    model = KindCaseRound
    fields = ["round", "created_by", "created"]


@admin.register(KindCase)
class KindCaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "campaign", "kind_version", "state", "submitted_at", "decided_at"]
    list_filter = ["state", "campaign"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "campaign", "kind_version"]
    exclude = ["answers"]  # ID and mobile numbers: read in full only on the case's page, recorded
    inlines = [AttachmentInline, RoundInline]


class VersionInline(ReadOnlyInline):
    model = KindVersion
    fields = ["number", "title", "in_use", "created_by", "created"]


@admin.register(CampaignKind)
class CampaignKindAdmin(ReadOnlyAdmin):
    list_display = ["code", "district", "created"]
    search_fields = ["code"]
    list_select_related = ["district"]
    inlines = [VersionInline]

"""The kinds' admin shows campaigns, cases and kinds and changes none."""

from django.urls import reverse

from awards.kinds.models import KindCase


def test_the_admin_shows_kinds_campaigns_and_cases_read_only(tree, make_kind, open_campaign, make_case, client,
                                                             django_user_model):
    version = make_kind()
    campaign = open_campaign(version)
    case = make_case(campaign)
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    for name, args in [("admin:kinds_kindcampaign_change", [campaign.pk]), ("admin:kinds_kindcase_change", [case.pk]),
                       ("admin:kinds_campaignkind_change", [version.kind_id]),
                       ("admin:kinds_kindcase_changelist", [])]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    page = client.get(reverse("admin:kinds_kindcase_change", args=[case.pk])).content.decode()
    assert 'name="name"' not in page and case.answers["id_number"] not in page
    assert client.get(reverse("admin:kinds_kindcampaign_add")).status_code == 403
    answer = client.post(reverse("admin:kinds_kindcase_change", args=[case.pk]), {"name": "改名"})
    assert answer.status_code == 403 and KindCase.objects.get(pk=case.pk).name != "改名"
    assert client.post(reverse("admin:kinds_kindcase_delete", args=[case.pk]), {"post": "yes"}).status_code == 403
    assert KindCase.objects.filter(pk=case.pk).exists()

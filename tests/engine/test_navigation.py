"""The engine on its own: its header shows only the links registered by
what is installed (no process app), without a template of its own."""

import pytest
from django.urls import reverse

from workflows.navigation import registered_nav_links


@pytest.mark.django_db
def test_the_header_holds_only_the_engines_links(client, django_user_model):
    user = django_user_model.objects.create_user("alone", password="x")
    client.force_login(user)
    html = client.get(reverse("inbox")).content.decode()
    assert f'href="{reverse("certificate_list")}"' in html
    assert not any(key.startswith(("mayday", "modelhome", "cadre", "congress")) for key in registered_nav_links())

"""The header's links come from the registry: each app registers its own,
the district's administration pages only for a district administrator."""

import pytest
from django.urls import reverse

from workflows.navigation import registered_nav_links


def header_links(client, user):
    client.force_login(user)
    html = client.get(reverse("inbox")).content.decode()
    return html[html.index('id="site-menu"'):html.index("</nav>")]


@pytest.mark.django_db
def test_every_process_registers_its_links(tree):
    keys = set(registered_nav_links())
    # May Day runs as campaign kinds: its campaigns and cases are under the kinds' links.
    assert {"kind_cases", "campaign_kinds", "modelhome", "cadre_evaluations", "congress_reports"} <= keys


@pytest.mark.django_db
def test_a_submitter_sees_the_processes_but_not_the_administration(client, tree):
    nav = header_links(client, tree.submitter)
    for url in (reverse("kinds:case_list"), reverse("modelhome:index"), reverse("cadres:evaluation_list"),
                reverse("congress:report_list"), reverse("certificate_list")):
        assert f'href="{url}"' in nav
    # The kinds of campaign are the district administrator's to set up.
    for url in (reverse("kinds:list"), reverse("print_job_list"), reverse("account_list"), reverse("security_settings")):
        assert f'href="{url}"' not in nav
    # No dashboard for a grassroots submitter.
    assert f'href="{reverse("coverage:dashboard")}"' not in nav


@pytest.mark.django_db
def test_the_district_administrator_sees_the_administration(client, tree):
    nav = header_links(client, tree.admin_d)
    for url in (reverse("print_job_list"), reverse("organisation_tree"), reverse("account_list"),
                reverse("webhooks"), reverse("security_settings"), reverse("coverage:dashboard"), reverse("kinds:list")):
        assert f'href="{url}"' in nav
    # Processes first, then the shared pages, then the administration.
    assert nav.index(f'href="{reverse("kinds:case_list")}"') < nav.index(reverse("certificate_list")) \
        < nav.index(reverse("print_job_list")) < nav.index(f'href="{reverse("kinds:list")}"')


@pytest.mark.django_db
def test_labels_follow_the_reader_language(client, tree):
    client.force_login(tree.submitter)
    assert "评选与救助" in header_links(client, tree.submitter)  # LANGUAGE_CODE: zh-hans
    english = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Honours and aid" in english and "评选与救助" not in english

"""Who reaches the document pages (certificates, print jobs, forms). The
objects belong to town A's branch: people of the other branch, of another
district and outsiders get 404; anonymous visitors are sent to log in; the
district administrator gets the page; a refused POST changes nothing."""

import pytest
from django.urls import reverse

from tests.conftest import make_org, make_user
from workflows.models import Certificate, CertificateStatus, PrintJob
from workflows.documents.services import print_job_create

FOREIGN = ["reviewer_b", "submitter_b", "outsider", "other_admin"]


@pytest.fixture
def objects(tree, make_mayday_case, grant_case, django_capture_on_commit_callbacks):
    other_district = make_org("另一区总工会", "other-district", "district")
    tree.other_admin = make_user("admin_other", (other_district, "district_admin"))
    case = make_mayday_case()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = grant_case(case)
    job = print_job_create(
        actor=tree.admin_d, certificates=Certificate.objects.filter(pk=certificate.pk),
        organisation=tree.district, title="测试打印",
    )
    return {"case": case, "certificate": certificate, "job": job, "campaign": case.campaign}


GET_PAGES = [
    ("certificate_detail", lambda o: [o["certificate"].pk]),
    ("certificate_pdf", lambda o: [o["certificate"].pk]),
    ("print_job_detail", lambda o: [o["job"].pk]),
    ("print_job_status", lambda o: [o["job"].pk]),
    ("kinds:case_printed", lambda o: [o["case"].pk]),
]


@pytest.mark.parametrize("name,args", GET_PAGES, ids=[n for n, _ in GET_PAGES])
@pytest.mark.parametrize("persona", FOREIGN + ["anonymous", "admin_d"])
def test_document_pages(client, tree, objects, name, args, persona):
    url = reverse(name, args=args(objects))
    if persona != "anonymous":
        client.force_login(getattr(tree, persona))
    response = client.get(url)
    if persona == "anonymous":
        assert response.status_code == 302 and reverse("login") in response["Location"]
    elif persona == "admin_d":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", FOREIGN + ["reviewer_a", "submitter", "chair", "reviewer_d"])
def test_only_the_district_administrator_revokes(client, tree, objects, persona):
    certificate = objects["certificate"]
    client.force_login(getattr(tree, persona))
    response = client.post(reverse("certificate_revoke", args=[certificate.pk]), {"reason": "事迹失实"})
    assert response.status_code in (403, 404)
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.VALID


@pytest.mark.parametrize("persona", FOREIGN + ["reviewer_a", "submitter", "reviewer_d"])
def test_only_the_district_administrator_prints_a_campaign(client, tree, objects, persona):
    client.force_login(getattr(tree, persona))
    before = PrintJob.objects.count()
    response = client.post(reverse("kinds:print_certificates", args=[objects["campaign"].pk]), {"confirmed": "1"})
    assert response.status_code in (403, 404)
    assert PrintJob.objects.count() == before

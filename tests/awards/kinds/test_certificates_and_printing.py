"""Certificates of campaigns of a kind as May Day's (docs/mayday-as-kinds.md
P8, P9): a campaign code naming the series (and so its numbers, reissues,
print runs and the list filter's title), `{year}` in the award title, May
Day's three layouts moved into kinds and printing the same, printing every
certificate of a campaign from its page and from the command line."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from awards.kinds import services
from awards.kinds.definition import problems_of_kind
from awards.kinds.endings import campaign_titles, certificates_of, series_of
from awards.kinds.models import KindCampaign
from awards.kinds.models import KindCaseState as S
from tests.awards.kinds.conftest import definition, hand_in
from tests.awards.kinds.test_endings import pdf_text
from workflows.documents.layouts import certificate_layout
from workflows.documents.rendering import render_certificates_pdf
from workflows.documents.services import certificate_revoke
from workflows.models import Certificate, PrintJob
from workflows.steps.decisions import decide

pytestmark = pytest.mark.django_db

CERTIFICATE = {"layout": "individual", "title": "{year}年度五一劳动奖章", "issuer": "示范区总工会",
               "wording": "{name}同志：被授予{title}，特发此证，以资鼓励。", "number_format": "工奖〔{year}〕第{seq:04d}号"}


def _kind(tree, code, **certificate):
    data = definition(steps=())
    data["ends_in"] = {"certificate": {**CERTIFICATE, **certificate}, "approved_list": True, "payment_list": False}
    return services.do_create_kind(district=tree.district, code=code, definition=data, actor=tree.admin_d)


def _grant(tree, case):
    case = decide(case=case, actor=tree.reviewer_d, decision="approve")
    return decide(case=case, actor=tree.admin_d, decision="outcome_1")


def _granted(tree, campaign, n):
    return [_grant(tree, hand_in(campaign, organisation=tree.union_a1, submitter=tree.submitter, n=i))
            for i in range(1, n + 1)]


def _open_post(version, **extra):
    return {"kinds": [version.kind.pk], "year": 2026, "title": "2026年度区五一劳动奖章评选",
            "deadline": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(), **extra}


def test_the_district_gives_a_code_and_the_series_is_named_by_it(client, tree):
    version = _kind(tree, "medal")
    client.force_login(tree.admin_d)
    url = reverse("kinds:campaign_open")
    confirm = client.post(url, _open_post(version, code="mayday-2026")).content.decode()
    assert "mayday-2026" in confirm and not KindCampaign.objects.exists()
    answer = client.post(url, _open_post(version, code="mayday-2026", confirmed="1"))
    campaign = KindCampaign.objects.get()
    assert answer.status_code == 302 and campaign.code == "mayday-2026"
    assert series_of(campaign) == "mayday-2026"

    [first, second] = _granted(tree, campaign, 2)
    [one], [two] = certificates_of(first), certificates_of(second)
    assert (one.series, one.sequence, one.number) == ("mayday-2026", 1, "工奖〔2026〕第0001号")
    assert (two.series, two.sequence) == ("mayday-2026", 2)
    # {year} in the title is the campaign's year, in the title and in the wording's {title}.
    assert one.award_title == "2026年度五一劳动奖章"
    assert one.wording == "候选人1同志：被授予2026年度五一劳动奖章，特发此证，以资鼓励。"

    # The campaign page links its series; the certificate list's filter names it by the title.
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert f"{reverse('certificate_list')}?series=mayday-2026" in page
    listing = client.get(reverse("certificate_list"), {"series": "mayday-2026"}).content.decode()
    assert campaign.title in listing and one.number in listing


def test_the_series_title_names_coded_and_uncoded_campaigns(tree, open_campaign):
    version = _kind(tree, "titles")
    plain = open_campaign(version)
    coded = open_campaign(version, year=2027)
    KindCampaign.objects.filter(pk=coded.pk).update(code="wuyi-2027")
    coded.refresh_from_db()
    assert series_of(plain) == f"kinds-{plain.pk}"
    # A coded campaign's own pk no longer names a series: its code does.
    assert campaign_titles([f"kinds-{plain.pk}", "wuyi-2027", f"kinds-{coded.pk}", "other"]) == {
        f"kinds-{plain.pk}": plain.title, "wuyi-2027": coded.title}


def test_a_taken_or_reserved_code_is_refused_and_what_was_typed_stays(client, tree, open_campaign):
    version = _kind(tree, "codes")
    taken = open_campaign(version)
    KindCampaign.objects.filter(pk=taken.pk).update(code="taken-2026")
    # A series with a certificate in it, whoever issued it.
    other = open_campaign(version, year=2025)
    [case] = _granted(tree, other, 1)
    Certificate.objects.filter(pk=certificates_of(case).get().pk).update(series="old-series")
    client.force_login(tree.admin_d)
    # (A May Day campaign's code is a campaign of kinds' since the carry: "taken-2026".)
    for code in ("new", "taken-2026", f"kinds-{taken.pk + 5}", "old-series"):
        answer = client.post(reverse("kinds:campaign_open"), _open_post(version, code=code, confirmed="1"),
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
        page = answer.content.decode()
        assert answer.status_code == 200 and f'value="{code}"' in page, code
        assert "2026年度区五一劳动奖章评选" in page
    assert KindCampaign.objects.count() == 2
    # Left blank: no code, the campaign numbers in kinds-<pk>.
    assert client.post(reverse("kinds:campaign_open"), _open_post(version, code="", confirmed="1")).status_code == 302
    fresh = KindCampaign.objects.exclude(pk__in=[taken.pk, other.pk]).get()
    assert fresh.code is None
    assert series_of(fresh) == f"kinds-{fresh.pk}"


def test_the_title_may_use_only_the_year(tree):
    data = definition(steps=())
    data["ends_in"] = {"certificate": {**CERTIFICATE, "title": "{name}奖章"}, "approved_list": True,
                       "payment_list": False}
    assert "ends_in.certificate.title" in {place for place, _message in problems_of_kind(data)}
    data["ends_in"]["certificate"]["title"] = "{year}年度五一劳动奖章"
    assert "ends_in.certificate.title" not in {place for place, _message in problems_of_kind(data)}


@pytest.mark.parametrize("layout, heading, title", [
    ("unit", "奖状", "{year}年度五一劳动奖状"),
    ("individual", "荣誉证书", "{year}年度五一劳动奖章"),
    ("team", "荣誉证书", "{year}年度工人先锋号"),
])
def test_may_days_layouts_print_a_kinds_certificate(client, tree, open_campaign, layout, heading, title):
    campaign = open_campaign(_kind(tree, f"layout-{layout}", layout=layout, title=title))
    [case] = _granted(tree, campaign, 1)
    [certificate] = certificates_of(case)
    assert certificate.layout == layout
    client.force_login(tree.admin_d)
    answer = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert answer.status_code == 200
    _reader, text = pdf_text(b"".join(answer.streaming_content))
    flat = "".join(text.split())
    for expected in (title.replace("{year}", "2026"), "候选人1", "工奖〔2026〕第0001号", "示范区总工会"):
        assert expected in flat, (layout, expected)
    # A certificate without a wording (as May Day issues them) prints the
    # layout's own page, from the templates moved into kinds.
    certificate.wording = ""
    _reader, text = pdf_text(render_certificates_pdf([certificate]))
    flat = "".join(text.split())
    assert flat.startswith(heading) and "候选人1" in flat and "2026年度" in flat and "示范区总工会" in flat


def test_the_layouts_are_kinds_own_and_may_day_prints_from_them(client, tree):
    for key in ("unit", "individual", "team"):
        assert certificate_layout(key).page_template == f"kinds/certificates/{key}.html"
    client.force_login(tree.admin_d)
    page = client.get(reverse("kinds:create")).content.decode()
    for key in ("unit", "individual", "team", "plaque"):
        assert f'value="{key}"' in page


def _print_campaign(tree, open_campaign, n=3):
    campaign = open_campaign(_kind(tree, "print"))
    KindCampaign.objects.filter(pk=campaign.pk).update(code="print-2026")
    campaign.refresh_from_db()
    cases = _granted(tree, campaign, n)
    return campaign, cases


def test_the_district_prints_every_certificate_of_the_campaign_after_confirming(
        client, tree, open_campaign, django_capture_on_commit_callbacks):
    campaign, cases = _print_campaign(tree, open_campaign)
    revoked = certificates_of(cases[2]).get()
    certificate_revoke(certificate=revoked, actor=tree.admin_d, reason="信息有误")
    url = reverse("kinds:print_certificates", args=[campaign.pk])
    client.force_login(tree.admin_d)
    assert url in client.get(campaign.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 405

    confirm = client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200 and "Valid certificates to print into one PDF: 2." in confirm.content.decode()
    assert not PrintJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        answer = client.post(url, {"confirmed": "1"})
    job = PrintJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("print_job_detail", args=[job.pk])
    assert job.series == "print-2026" and job.total == 2
    assert set(job.certificates.values_list("pk", flat=True)) == {
        certificates_of(case).get().pk for case in cases[:2]}


def test_only_the_district_administrator_prints_and_an_empty_campaign_is_told(client, tree, open_campaign):
    campaign = open_campaign(_kind(tree, "empty"))
    url = reverse("kinds:print_certificates", args=[campaign.pk])
    client.force_login(tree.reviewer_d)
    assert url not in client.get(campaign.get_absolute_url()).content.decode()
    assert client.post(url, {"confirmed": "1"}).status_code == 404
    client.force_login(tree.admin_d)
    answer = client.post(url, {"confirmed": "1"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert answer.redirect_chain[-1][0] == campaign.get_absolute_url()
    assert "There are no certificates to print." in answer.content.decode() and not PrintJob.objects.exists()


def test_print_certificates_finds_a_kinds_campaign_by_its_code(tree, open_campaign, tmp_path):
    campaign, _cases = _print_campaign(tree, open_campaign, n=2)
    pdf = tmp_path / "certificates.pdf"
    out = io.StringIO()
    call_command("print_certificates", campaign="print-2026", output=str(pdf), no_progress=True, processes=1,
                 stdout=out)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2 and "2 certificates" in out.getvalue()
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "工奖〔2026〕第0001号" in text and "工奖〔2026〕第0002号" in text
    with pytest.raises(CommandError):
        call_command("print_certificates", campaign=f"kinds-{campaign.pk}x", output=str(pdf), no_progress=True)


def test_a_reissue_continues_the_coded_series(client, tree, open_campaign):
    campaign, cases = _print_campaign(tree, open_campaign, n=2)
    first = certificates_of(cases[0]).get()
    certificate_revoke(certificate=first, actor=tree.admin_d, reason="信息有误")
    client.force_login(tree.admin_d)
    answer = client.post(reverse("kinds:certificate_reissue", args=[first.pk]), {"comment": "更正姓名"})
    new = certificates_of(cases[0]).first()
    assert answer.status_code == 302 and new.pk != first.pk
    assert (new.series, new.sequence, new.number) == ("print-2026", 3, "工奖〔2026〕第0003号")
    assert cases[0].state == S.GRANTED

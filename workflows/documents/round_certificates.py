"""The certificates a process numbers in its round (a campaign, a year:
workflows.models.rounds.Round): issuing one with the round's next number,
the valid certificate of each case for a list, the round's valid
certificates for a print run (queued as a print job from its page), and the
round's title as its series' name in the certificate list. The process
says only what is its own: the holder, the award's title, the issuer, the
layout and its audit code."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect

from workflows.exceptions import RuleViolation
from workflows.middleware import client_ip
from workflows.models import Certificate, CertificateStatus

from . import services
from .issuing import issue_certificate
from .series import register_series_titles


def issue_round_certificate(case, round_, *, actor, holder_name, award_title, issuer, layout, owner, audit_code,
                            role):
    """Take the next number of `round_` (locked by the caller: locked_related)
    and record the certificate of `case` (workflows.documents.issuing),
    audited on the case as `audit_code`."""
    seq, number = round_.take_certificate_number()
    return issue_certificate(
        subject=case, action=audit_code, actor=actor, organisation=round_.district, role=role,
        series=round_.code, sequence=seq, number=number, holder_name=holder_name, award_title=award_title,
        issuer=issuer, layout=layout, owner_organisation=owner)


def valid_certificates_of(cases):
    """{case pk: its valid certificate} for `cases` (of one model), in one
    query; a case without one is absent."""
    cases = list(cases)
    if not cases:
        return {}
    return {c.object_id: c for c in Certificate.objects.filter(
        content_type=ContentType.objects.get_for_model(cases[0]), object_id__in=[case.pk for case in cases],
        status=CertificateStatus.VALID)}


def round_certificates(round_):
    """The round's valid certificates in number order: what a print run of
    the whole round prints."""
    return Certificate.objects.filter(series=round_.code, status=CertificateStatus.VALID).order_by("sequence")


def print_round_certificates(request, round_, *, title):
    """Queue a background job printing every valid certificate of the
    round and show its progress page; a refusal (nothing to print, a user
    who may not print) is told on the round's page."""
    try:
        job = services.print_job_create(actor=request.user, certificates=round_certificates(round_),
                                        organisation=round_.district, title=title, series=round_.code,
                                        ip=client_ip(request))
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(round_.get_absolute_url())
    return redirect("print_job_detail", pk=job.pk)


_NAMED = set()


def register_round_series(model):
    """The series of a round's certificates is its code: name it by the
    round's title in the certificate list's filter (in one query)."""
    if model in _NAMED:
        return
    _NAMED.add(model)
    register_series_titles(
        lambda codes: dict(model.objects.filter(code__in=list(codes)).values_list("code", "title")))

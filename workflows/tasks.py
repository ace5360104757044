"""Background jobs (django-tasks: the database backend by default, RQ where
several machines share the work)."""

from django_tasks import task

from .documents import issue_certificate_document


@task()
def render_certificate(certificate_id):
    issue_certificate_document(certificate_id)
    return certificate_id

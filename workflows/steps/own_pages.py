"""A step decided on the process's own page (scores, inspectors, a revised
form): its `Step.url` and `Step.form_url`, to which the engine's decision
page sends the user."""


def own_page(url_name):
    """The page named `url_name`, reversed with the case's pk."""
    def url(case):
        from django.urls import reverse

        return reverse(url_name, args=[case.pk])
    return url

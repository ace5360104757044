"""Departmental sign-offs of a case (workflows.models.SignoffRequest), for
any process whose fan-out step asks several departments in parallel: the
rounds of requests, each department's answer, and the page's panel and
sign-off form (templates/workflows/signoffs/)."""

"""The JSON API's pages in the access matrix (the registry:
tests/access_registry.py): a session here; tokens act as their account.
Its pages of each process (`api:process`, `api:cases`, `api:case`,
`api:decide`) are generated from the processes' `CASES`."""

# Without a parameter: the asker's own (me, roles, tasks, tokens) or the schema.
PAGES = {"api": {(): None}}

PUBLIC = {"api:schema", "api:docs", "api:certificate"}

OBJECT_URLS = {
    "api:organisation": ("facts_org", lambda org: {"pk": org.pk}),
    "api:certificate": ("certificate", lambda c: {"token": c.token}),
    "api:token": ("api_token", lambda t: {"pk": t.pk}),
}

NOT_FUZZED = {
    "api:decide": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
    "api:tokens": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
    "api:token": "JSON, not a form: fuzzed from the API's schema (tests/api/test_api_schema.py)",
}

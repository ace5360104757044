"""The JSON API at /api/v1/ (Django REST framework, schema by
drf-spectacular): engine-level, naming no process: the registry and the
declarations say which processes, steps and decisions there are, and each
process's `CaseApi` (workflows.steps.registry) its cases' lists, fields and
documents. Decisions go through the engine's one service."""

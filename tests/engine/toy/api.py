"""The toy's part of the JSON API: its fields, nothing else. Its list and
its filters, its files, the steps decided through the API and the words of
its history are what the engine derives (tests/engine/test_api_defaults.py)."""

from tests.engine.toy.declaration import TOY
from workflows.steps.registry import CaseApi, register_case_api

register_case_api(TOY.key, CaseApi(fields=lambda case: [("Title", case.title), ("Unit", case.organisation.name)]))

"""workflows.models.case_processes.case_process: the viewflow process model
a process makes for its cases (a proxy of viewflow's Process, one table for
every process), as the toy makes ToyProcess in its models module and its
flow runs on it."""

from django.apps import apps
from django.db import connection
from viewflow.workflow.models import Process

from tests.engine.toy.flows import ToyFlow
from tests.engine.toy.models import ToyProcess
from workflows.steps.tasks import process_of


def test_the_model_is_a_proxy_of_viewflows_process_in_the_toys_app(db):
    meta = ToyProcess._meta
    assert issubclass(ToyProcess, Process) and meta.proxy and meta.concrete_model is Process
    assert (meta.app_label, ToyProcess.__module__) == ("toy", "tests.engine.toy.models")
    assert apps.get_model("toy", "ToyProcess") is ToyProcess
    assert (str(meta.verbose_name), str(meta.verbose_name_plural)) == ("toy case process", "toy case processes")
    # One table for every process: no table of its own.
    assert meta.db_table == Process._meta.db_table
    assert "toy_toyprocess" not in connection.introspection.table_names()
    assert "artifact" in ToyProcess.__doc__


def test_the_toys_flow_runs_on_it_with_the_case_as_its_artifact(people, journey):
    assert ToyFlow.process_class is ToyProcess
    case = journey.submitted()
    process = process_of(case)
    assert process.artifact == case and process.flow_class is ToyFlow
    # Read through the proxy, the case's process row is a ToyProcess.
    stored = ToyProcess.objects.get(artifact_object_id=case.pk)
    assert type(stored) is ToyProcess and stored.pk == process.pk and stored.artifact == case
    # Its tasks are the flow's, the review open.
    assert [t.flow_task.name for t in process.task_set.filter(status="NEW")] == ["review"]

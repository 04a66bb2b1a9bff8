"""A stand-in for the `mlflow` package (tests only): the fluent functions Pipewright's steps call, with the
signatures of mlflow 2.x (mlflow/tracking/fluent.py, mlflow/tracking/_model_registry/fluent.py). Each call is
appended as one JSON line to the file named by MLFLOW_STANDIN_CALLS; state follows the real package's rules
(one active run at a time, a model registered from a runs:/ URI only when that artifact path was logged).
"""
import json
import os
import uuid

__version__ = "2.19.0"


class MlflowException(Exception):
    def __init__(self, message, error_code="INTERNAL_ERROR"):
        super().__init__(message)
        self.error_code = error_code


class _State:
    tracking_uri = None
    experiments = {"Default": "0"}
    experiment_id = "0"
    active = None
    logged = {}
    versions = {}


def _record(_call, **kwargs):
    path = os.environ.get("MLFLOW_STANDIN_CALLS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"call": _call, "args": kwargs}, sort_keys=True, default=str) + "\n")


class Experiment:
    def __init__(self, experiment_id, name):
        self.experiment_id = experiment_id
        self.name = name


class RunInfo:
    def __init__(self, run_id, experiment_id, run_name):
        self.run_id = run_id
        self.experiment_id = experiment_id
        self.run_name = run_name
        self.artifact_uri = "mlflow-artifacts:/%s/%s/artifacts" % (experiment_id, run_id)


class ActiveRun:
    def __init__(self, info):
        self.info = info


class ModelVersion:
    def __init__(self, name, version, source, run_id):
        self.name = name
        self.version = version
        self.source = source
        self.run_id = run_id
        self.status = "READY"


def _run():
    if _State.active is None:
        raise MlflowException("No active run")
    return _State.active


def set_tracking_uri(uri):
    _State.tracking_uri = str(uri)
    _record("set_tracking_uri", uri=str(uri))


def get_tracking_uri():
    return _State.tracking_uri


def set_experiment(experiment_name=None, experiment_id=None):
    _record("set_experiment", experiment_name=experiment_name, experiment_id=experiment_id)
    if experiment_name is None and experiment_id is None:
        raise MlflowException("Must specify exactly one of: `experiment_id` or `experiment_name`.", "INVALID_PARAMETER_VALUE")
    if experiment_name is not None:
        _State.experiment_id = _State.experiments.setdefault(experiment_name, str(len(_State.experiments)))
    else:
        _State.experiment_id = experiment_id
    return Experiment(_State.experiment_id, experiment_name)


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, parent_run_id=None, tags=None, description=None, log_system_metrics=None):
    _record("start_run", run_id=run_id, experiment_id=experiment_id, run_name=run_name, nested=nested, tags=tags)
    if _State.active is not None and not nested:
        raise MlflowException("Run with UUID %s is already active. To start a new run, first end the current run with mlflow.end_run()." % _State.active.info.run_id)
    _State.active = ActiveRun(RunInfo(run_id or uuid.uuid4().hex, experiment_id or _State.experiment_id, run_name))
    return _State.active


def active_run():
    return _State.active


def log_params(params, synchronous=None, run_id=None):
    _run()
    _record("log_params", params=params)


def log_metrics(metrics, step=None, synchronous=None, run_id=None, timestamp=None, model_id=None, dataset=None):
    _run()
    _record("log_metrics", metrics=metrics, step=step)


def set_tags(tags, synchronous=None):
    _run()
    _record("set_tags", tags=tags)


def log_artifacts(local_dir, artifact_path=None, run_id=None):
    run = _run()
    if not os.path.isdir(local_dir):
        raise MlflowException("%s is not a directory" % local_dir)
    _State.logged.setdefault(run.info.run_id, set()).add(artifact_path or "")
    _record("log_artifacts", local_dir=local_dir, artifact_path=artifact_path, files=sorted(os.listdir(local_dir)))


def log_artifact(local_path, artifact_path=None, run_id=None):
    run = _run()
    _State.logged.setdefault(run.info.run_id, set()).add(artifact_path or "")
    _record("log_artifact", local_path=local_path, artifact_path=artifact_path)


def end_run(status="FINISHED"):
    _record("end_run", status=status)
    _State.active = None


def register_model(model_uri, name, await_registration_for=300, *, tags=None):
    _record("register_model", model_uri=model_uri, name=name, await_registration_for=await_registration_for, tags=tags)
    if not model_uri.startswith("runs:/"):
        raise MlflowException("the stand-in registers runs:/ URIs only, got %s" % model_uri)
    run_id, _, path = model_uri[len("runs:/"):].partition("/")
    if path not in _State.logged.get(run_id, set()):
        raise MlflowException("Unable to find a model with artifact_path %s under run %s." % (path, run_id), "NOT_FOUND")
    versions = _State.versions.setdefault(name, [])
    versions.append(model_uri)
    return ModelVersion(name, str(len(versions)), model_uri, run_id)

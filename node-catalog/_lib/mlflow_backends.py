# --- pipewright _lib/mlflow_backends.py: the two ways a step talks to MLflow (the mlflow package, or its REST API) ---
import os
import time
import urllib.parse

REGISTRATION_WAIT_SECONDS = 300  # as mlflow.register_model's await_registration_for


def make_backend(tracking_uri):
    if is_importable("mlflow"):
        return PackageBackend(tracking_uri)
    if not tracking_uri.startswith(("http://", "https://")):
        raise StepError("MLFLOW_TRACKING_URI %s needs the mlflow package (pip install mlflow); without it only http(s) servers are reachable" % tracking_uri)
    return RestBackend(tracking_uri)


def _chunks(items, size):
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


class RestBackend:
    """MLflow's REST API 2.0 (https://mlflow.org/docs/latest/rest-api.html) through MlflowRestClient."""

    kind = "REST API"

    def __init__(self, tracking_uri, sleep=time.sleep):
        self.api = MlflowRestClient(tracking_uri, sleep)
        self.sleep = sleep
        self.run_id = None

    def _experiment_id(self, name):
        def by_name():
            experiment = self.api.call("GET", "mlflow/experiments/get-by-name", {"experiment_name": name})["experiment"]
            if experiment.get("lifecycle_stage") == "deleted":
                raise StepError("MLflow experiment %r is deleted: restore it in MLflow or choose another experiment name" % name)
            return experiment["experiment_id"]

        try:
            return by_name()
        except MlflowApiError as err:
            if err.code != "RESOURCE_DOES_NOT_EXIST":
                raise
        try:
            return self.api.call("POST", "mlflow/experiments/create", {"name": name})["experiment_id"]
        except MlflowApiError as err:
            if err.code != "RESOURCE_ALREADY_EXISTS":  # another step created it meanwhile
                raise
            return by_name()

    def start(self, experiment, run_name, tags):
        experiment_id = self._experiment_id(experiment)
        body = {"experiment_id": experiment_id, "run_name": run_name, "start_time": int(time.time() * 1000),
                "tags": [{"key": k, "value": v} for k, v in sorted(tags.items())]}
        info = self.api.call("POST", "mlflow/runs/create", body)["run"]["info"]
        self.run_id = info["run_id"]
        return info["run_id"], experiment_id, info.get("artifact_uri", "")

    def log_batch(self, metrics=(), params=(), tags=()):
        # log-batch limits: 1000 metrics, 100 params, 100 tags per request.
        for part in _chunks(metrics, 1000):
            self.api.call("POST", "mlflow/runs/log-batch", {"run_id": self.run_id, "metrics": [{"key": k, "value": v, "timestamp": t, "step": s} for k, v, t, s in part]})
        for field, items in (("params", params), ("tags", tags)):
            for part in _chunks(items, 100):
                self.api.call("POST", "mlflow/runs/log-batch", {"run_id": self.run_id, field: [{"key": k, "value": v} for k, v in part]})

    def upload_dir(self, path, artifact_path, artifact_uri):
        """PUT /api/2.0/mlflow-artifacts/artifacts/<path> per file; False when the server does not proxy this run's artifacts."""
        base = self.api.artifacts_base(artifact_uri)
        if base is None:
            return False
        files = [os.path.join(root, name) for root, _dirs, names in os.walk(path) for name in names] if os.path.isdir(path) else [path]
        for file in sorted(files):
            relative = os.path.relpath(file, path) if os.path.isdir(path) else os.path.basename(file)
            target = "/".join([artifact_path] + relative.split(os.sep))
            self.api.upload_file("%s/%s" % (base, urllib.parse.quote(target)), file)
        return True

    def end(self, status):
        self.api.call("POST", "mlflow/runs/update", {"run_id": self.run_id, "status": status, "end_time": int(time.time() * 1000)})

    def register(self, name, source, run_id, tags):
        try:
            self.api.call("POST", "mlflow/registered-models/create", {"name": name})
        except MlflowApiError as err:
            if err.code != "RESOURCE_ALREADY_EXISTS":
                raise
        body = {"name": name, "source": source, "run_id": run_id, "tags": [{"key": k, "value": v} for k, v in sorted(tags.items()) if v]}
        version = self.api.call("POST", "mlflow/model-versions/create", body)["model_version"]
        deadline, pause = time.time() + REGISTRATION_WAIT_SECONDS, 0.2
        while version.get("status", "READY") == "PENDING_REGISTRATION" and time.time() < deadline:
            self.sleep(pause)
            pause = min(pause * 2, 5.0)
            version = self.api.call("GET", "mlflow/model-versions/get", {"name": name, "version": version["version"]})["model_version"]
        if version.get("status", "READY") != "READY":
            raise StepError("version %s of %s is %s: %s" % (version["version"], name, version.get("status"), version.get("status_message") or "no reason given"))
        return version["version"]

    def set_alias(self, name, alias, version):
        try:
            self.api.call("POST", "mlflow/registered-models/alias", {"name": name, "alias": alias, "version": str(version)})
            return True
        except MlflowApiError as err:
            if err.status in (404, 405) and err.code in (None, "ENDPOINT_NOT_FOUND"):  # MLflow before 2.3 has no aliases
                return False
            raise

    def transition(self, name, version, stage):
        self.api.call("POST", "mlflow/model-versions/transition-stage", {"name": name, "version": str(version), "stage": stage, "archive_existing_versions": True})


class PackageBackend:
    """The mlflow package's fluent API and MlflowClient, as documented for mlflow 2.x."""

    kind = "mlflow package"

    def __init__(self, tracking_uri):
        import mlflow
        from mlflow.tracking import MlflowClient

        self.mlflow = mlflow
        mlflow.set_tracking_uri(tracking_uri)
        self.client = MlflowClient()
        self.run_id = None

    def start(self, experiment, run_name, tags):
        experiment_id = self.mlflow.set_experiment(experiment_name=experiment).experiment_id
        run = self.mlflow.start_run(run_name=run_name, tags=tags)
        self.run_id = run.info.run_id
        return run.info.run_id, run.info.experiment_id or experiment_id, run.info.artifact_uri

    def log_batch(self, metrics=(), params=(), tags=()):
        by_step = {}
        for key, value, _timestamp, step in metrics:
            by_step.setdefault(step, {})[key] = value
        for step in sorted(by_step):
            self.mlflow.log_metrics(by_step[step], step=step)
        if params:
            self.mlflow.log_params(dict(params))
        if tags:
            self.mlflow.set_tags(dict(tags))

    def upload_dir(self, path, artifact_path, artifact_uri):
        if os.path.isdir(path):
            self.mlflow.log_artifacts(path, artifact_path=artifact_path)
        else:
            self.mlflow.log_artifact(path, artifact_path=artifact_path)
        return True

    def end(self, status):
        self.mlflow.end_run(status=status)

    def register(self, name, source, run_id, tags):
        version = self.mlflow.register_model("runs:/%s/model" % run_id, name, await_registration_for=REGISTRATION_WAIT_SECONDS, tags={k: v for k, v in tags.items() if v})
        return str(version.version)

    def set_alias(self, name, alias, version):
        if not hasattr(self.client, "set_registered_model_alias"):  # mlflow before 2.3
            return False
        self.client.set_registered_model_alias(name, alias, str(version))
        return True

    def transition(self, name, version, stage):
        self.client.transition_model_version_stage(name, str(version), stage, archive_existing_versions=True)

# --- pipewright _lib/report.py: metric and progress lines, mirrored to MLflow when MLFLOW_TRACKING_URI is set ---
import os
import time


class Reporter:
    """Prints PIPEWRIGHT_METRIC / PIPEWRIGHT_PROGRESS lines; logs the same to MLflow when configured."""

    def __init__(self, step_name, params):
        self.mlflow = None
        self._last_progress = 0.0
        uri = os.environ.get("MLFLOW_TRACKING_URI")
        if not uri:
            return
        if not is_importable("mlflow"):
            warn("MLFLOW_TRACKING_URI is set but mlflow is not installed (pip install mlflow); continuing without MLflow")
            return
        try:
            import mlflow

            mlflow.set_tracking_uri(uri)
            mlflow.set_experiment(os.environ.get("MLFLOW_EXPERIMENT_NAME", "pipewright"))
            run_id, node_id = os.environ.get("PIPEWRIGHT_RUN_ID", ""), os.environ.get("PIPEWRIGHT_NODE_ID", step_name)
            mlflow.start_run(run_name="-".join(x for x in (run_id, node_id) if x) or step_name)
            mlflow.set_tags({"pipewright.step": step_name, "pipewright.run_id": run_id, "pipewright.node_id": node_id})
            mlflow.log_params({k: str(v)[:500] for k, v in params.items()})
            self.mlflow = mlflow
            say("MLflow: logging to %s" % uri)
        except Exception as exc:  # noqa: BLE001 - tracking must never stop training
            warn("MLflow at %s failed (%s); continuing without it" % (uri, exc))

    def _mlflow(self, call):
        if self.mlflow is None:
            return
        try:
            call(self.mlflow)
        except Exception as exc:  # noqa: BLE001
            warn("MLflow logging failed (%s); continuing without it" % exc)
            self.mlflow = None

    def metric(self, step, **values):
        values = {k: v for k, v in values.items() if v is not None}
        emit_metric(step, **values)
        numbers = {k: float(v) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        self._mlflow(lambda m: m.log_metrics(numbers, step=int(step)))

    def progress(self, current, total, label="train"):
        # At most ~4 lines a second, but always the last one.
        now = time.time()
        if current < total and now - self._last_progress < 0.25:
            return
        self._last_progress = now
        emit_progress(current, total, label)

    def artifacts(self, path):
        self._mlflow(lambda m: m.log_artifacts(path, artifact_path="model"))

    def close(self, ok):
        self._mlflow(lambda m: m.end_run(status="FINISHED" if ok else "FAILED"))

# --- pipewright _lib/report.py: metric and progress lines, mirrored to MLflow when MLFLOW_TRACKING_URI is set ---
import time


class Reporter:
    """Prints PIPEWRIGHT_METRIC / PIPEWRIGHT_PROGRESS lines; logs the same to this step's MLflow run (_lib/mlflow_log.py)."""

    def __init__(self, step_name, params, args=None):
        self.mlflow = MlflowRun(step_name, params, args)
        self._last_progress = 0.0
        self.fixed = {}  # values every metric line carries (training: the number of processes)

    def metric(self, step, **values):
        values = {k: v for k, v in values.items() if v is not None}
        emit_metric(step, **dict(values, **self.fixed))
        self.mlflow.metrics(step, values)

    def progress(self, current, total, label="train"):
        # At most ~4 lines a second, but always the last one.
        now = time.time()
        if current < total and now - self._last_progress < 0.25:
            return
        self._last_progress = now
        emit_progress(current, total, label)

    def artifacts(self, path, summary=None, location=None):
        """The trained model: final metrics, the model folder as artifacts, and a registered version when this node registers."""
        if summary:
            self.mlflow.final(summary)
        uploaded = self.mlflow.log_model(path, location)
        self.mlflow.register_model(path, location, uploaded)

    def close(self, ok):
        self.mlflow.end(ok)

# --- pipewright _lib/mlflow_log.py: one MLflow run per step (params, metrics, model, registry) when a tracking URI is set ---
# Uses the mlflow package when the image has it, else _lib/mlflow_rest.py. Tracking never stops a step: the
# first failure is reported once (one `warning:` line) and the step goes on without MLflow.
import json
import os
import time
import urllib.parse

MODEL_LINK_FILE = "mlflow.json"  # written into a model folder: the run (and registered version) it came from
METRIC_BATCH = 200
METRIC_FLUSH_SECONDS = 5.0
STAGING, CHAMPION = ("staging", "Staging"), ("champion", "Production")  # (alias, stage), as the tutorial moves versions


def _is_rank0():
    check = globals().get("is_main_process")  # _lib/dist.py, when the step includes it
    if callable(check):
        return bool(check())
    return all(os.environ.get(name, "0") in ("", "0") for name in ("RANK", "LOCAL_RANK"))


def mlflow_settings(args=None):
    """Tracking settings from the environment (KFP, Argo, local runs), else from params.yaml's `_pipewright` (DVC)."""
    params_file = getattr(args, "params_file", None)
    section = params_file_settings(params_file) if params_file else {}
    env = os.environ
    node_id = env.get("PIPEWRIGHT_NODE_ID") or getattr(args, "params_key", None) or ""
    pipeline = env.get("PIPEWRIGHT_PIPELINE") or section.get("pipeline") or ""
    parameters = {k[len("PIPEWRIGHT_PARAMETER_"):]: v for k, v in env.items() if k.startswith("PIPEWRIGHT_PARAMETER_")}
    for name, value in (section.get("parameters") or {}).items():
        parameters.setdefault(str(name), value if isinstance(value, str) else json.dumps(value))
    register = env.get("PIPEWRIGHT_REGISTER_MODEL", "").lower() in ("1", "true") or node_id in (section.get("register_model") or [])
    return {
        "tracking_uri": env.get("MLFLOW_TRACKING_URI") or section.get("mlflow_tracking_uri") or "",
        "experiment": env.get("MLFLOW_EXPERIMENT_NAME") or section.get("mlflow_experiment_name") or pipeline or "pipewright",
        "pipeline": pipeline,
        "run_id": env.get("PIPEWRIGHT_RUN_ID") or "",
        "node_id": node_id,
        "registered_model": env.get("PIPEWRIGHT_REGISTERED_MODEL_NAME") or section.get("registered_model_name") or "",
        "register": register,
        "parameters": parameters,
    }


def run_name(settings, stage):
    """The tutorial's "{run}-{stage}-{timestamp}": the Pipewright run id, the node id, UTC time."""
    run = settings["run_id"] or settings["pipeline"] or "pipewright"
    return "%s-%s-%s" % (run, settings["node_id"] or stage, time.strftime("%Y%m%d-%H%M%S", time.gmtime()))


def ui_url(tracking_uri, *parts):
    if not tracking_uri.startswith(("http://", "https://")):
        return None
    return tracking_uri.rstrip("/") + "/#/" + "/".join(urllib.parse.quote(str(p), safe="") for p in parts)


def _is_remote(uri):
    scheme = urllib.parse.urlparse(uri or "").scheme
    return len(scheme) > 1 and scheme != "file"


def _param_text(value):
    return str(value)[:500]  # MLflow servers before 2.? refuse longer param values


class MlflowRun:
    """This step's MLflow run, or an inactive stand-in when MLflow is not configured or this is not rank 0."""

    def __init__(self, stage, params, args=None, tags=None):
        self.settings = mlflow_settings(args)
        self.stage, self.active, self.backend = stage, False, None
        self.run_id = self.experiment_id = self.artifact_uri = self.url = None
        self._buffer, self._flushed_at, self._last_step, self._warned = [], time.time(), 0, False
        uri = self.settings["tracking_uri"]
        if not uri or not _is_rank0():
            return
        try:
            self.backend = make_backend(uri)
            all_tags = dict(self._tags(), **(tags or {}))
            self.run_id, self.experiment_id, self.artifact_uri = self.backend.start(self.settings["experiment"], run_name(self.settings, stage), all_tags)
            self.active = True
            self.url = ui_url(uri, "experiments", self.experiment_id, "runs", self.run_id)
            self.backend.log_batch(params=[(k, _param_text(v)) for k, v in sorted(params.items())])
            emit_info(**{k: v for k, v in (("mlflow_run_id", self.run_id), ("mlflow_experiment_id", self.experiment_id), ("mlflow_run_url", self.url)) if v})
            say("MLflow: run %s in experiment %s at %s (%s)" % (self.run_id, self.settings["experiment"], uri, self.backend.kind))
        except Exception as exc:  # noqa: BLE001 - tracking must never stop training
            self._fail("starting the run", exc)

    def _tags(self):
        s = self.settings
        tags = {"pipewright.run_id": s["run_id"], "pipewright.node_id": s["node_id"], "pipewright.pipeline": s["pipeline"],
                "pipewright.step": self.stage, "mlflow.source.type": "JOB", "mlflow.source.name": "pipewright/" + self.stage}
        for name, value in s["parameters"].items():
            tags["pipewright.parameter." + name] = str(value)[:5000]
        return {k: v for k, v in tags.items() if v}

    def _fail(self, what, exc):
        self.active = False
        if not self._warned:
            self._warned = True
            warn("MLflow at %s failed while %s (%s); the step goes on without MLflow logging" % (self.settings["tracking_uri"], what, exc))

    def _do(self, what, fn):
        if not self.active:
            return None
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001
            self._fail(what, exc)
            return None

    def set_tags(self, tags):
        self._do("setting tags", lambda: self.backend.log_batch(tags=[(k, str(v)[:5000]) for k, v in tags.items() if v is not None]))

    def metrics(self, step, values):
        """Per-step metrics, sent in batches (log-batch) every METRIC_BATCH records or METRIC_FLUSH_SECONDS."""
        if not self.active:
            return
        now_ms = int(time.time() * 1000)
        self._last_step = max(self._last_step, int(step))
        self._buffer.extend((k, float(v), now_ms, int(step)) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool))
        if len(self._buffer) >= METRIC_BATCH or time.time() - self._flushed_at >= METRIC_FLUSH_SECONDS:
            self.flush()

    def flush(self):
        buffer, self._buffer, self._flushed_at = self._buffer, [], time.time()
        for start in range(0, len(buffer), 1000):
            self._do("logging metrics", lambda: self.backend.log_batch(metrics=buffer[start:start + 1000]))

    def final(self, values, step=None):
        """Final metrics (a summary, an evaluation's scores), at the last step."""
        step = self._last_step if step is None else step
        self.metrics(step, values)
        self.flush()

    def log_model(self, path, location=None, artifact_path="model"):
        """The model folder as run artifacts; where the server cannot take them, its location as a tag (and says so)."""
        if not self.active:
            return False
        uploaded = self._do("uploading %s" % artifact_path, lambda: self.backend.upload_dir(path, artifact_path, self.artifact_uri))
        if uploaded is False:
            where = location or os.path.abspath(path)
            self.set_tags({"pipewright.%s_location" % artifact_path: where})
            say("MLflow: the run's artifact store (%s) is not proxied by the tracking server, so the %s stays at %s (tag pipewright.%s_location)"
                % (self.artifact_uri, artifact_path, where, artifact_path))
        return bool(uploaded)

    def end(self, ok):
        self.flush()
        self._do("ending the run", lambda: self.backend.end("FINISHED" if ok else "FAILED"))

    def register_model(self, path, location=None, uploaded=True):
        """When this node holds the run's final model: a new registered version, alias `staging` and stage Staging."""
        s = self.settings
        if not (self.active and s["register"] and s["registered_model"]):
            return None
        source = self.artifact_uri.rstrip("/") + "/model" if uploaded else location
        if not uploaded and not _is_remote(source):
            warn("MLflow: model %s not registered: it is only on this machine (%s) and the tracking server does not proxy artifacts "
                 "(start it with --serve-artifacts, or set a remote pipelineRoot)" % (s["registered_model"], source or path))
            return None
        try:
            version = self.backend.register(s["registered_model"], source, self.run_id, {"pipewright.run_id": s["run_id"], "pipewright.node_id": s["node_id"]})
            link = self._promote(s["registered_model"], version, STAGING)
        except Exception as exc:  # noqa: BLE001 - a registry failure leaves the tracked run as it is
            warn("MLflow: model %s not registered (%s)" % (s["registered_model"], exc))
            return None
        write_model_link(path, dict(self.link(), registered_model=link))
        return link

    def _promote(self, name, version, target):
        return promote_version(self.backend, self.settings["tracking_uri"], name, version, target)

    def link(self):
        return {"tracking_uri": self.settings["tracking_uri"], "experiment_id": self.experiment_id, "run_id": self.run_id, "run_url": self.url}


def promote_version(backend, tracking_uri, name, version, target):
    """Alias and stage for one version (an old server without aliases gets the stage only); prints the link line."""
    alias, stage = target
    aliased = backend.set_alias(name, alias, version)
    backend.transition(name, version, stage)
    link = {"name": name, "version": str(version), "alias": alias if aliased else None, "stage": stage, "url": ui_url(tracking_uri, "models", name, "versions", version)}
    emit_info(**{"mlflow_model_" + k: v for k, v in link.items() if v})
    say("MLflow: %s version %s is now %s%s" % (name, version, stage, " (alias %s)" % alias if aliased else ""))
    return link


def write_model_link(path, link):
    if os.path.isdir(path):
        write_json(os.path.join(path, MODEL_LINK_FILE), {k: v for k, v in link.items() if v})


def read_model_link(path):
    file = os.path.join(path if os.path.isdir(path) else os.path.dirname(path), MODEL_LINK_FILE)
    try:
        with open(file, encoding="utf-8") as f:
            link = json.load(f)
        return link if isinstance(link, dict) else {}
    except (OSError, ValueError):
        return {}


def log_evaluation_to_mlflow(stage, params, metrics, args=None, outputs_dir=None, model_path=None):
    """The one call an evaluation step (eval, ko-bench) makes: a run with params, scores and output files, linked to the model's run."""
    model = read_model_link(model_path) if model_path else {}
    registered = model.get("registered_model") or {}
    tags = {"pipewright.model_run_id": model.get("run_id"), "pipewright.model_name": registered.get("name"), "pipewright.model_version": registered.get("version")}
    run = MlflowRun(stage, params, args, {k: str(v) for k, v in tags.items() if v})
    if not run.active:
        return None
    run.final({k: v for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    if outputs_dir:
        run.log_model(outputs_dir, artifact_path="outputs")
    run.end(True)
    return run.link()


def promote_to_champion(model_path, args=None):
    """Deploy's gate passed: the registered version of its model becomes alias `champion` / stage Production."""
    registered = read_model_link(model_path).get("registered_model") or {}
    settings = mlflow_settings(args)
    if not registered.get("name") or not registered.get("version"):
        return None
    if not settings["tracking_uri"] or not _is_rank0():
        emit_info(mlflow_model_name=registered["name"], mlflow_model_version=registered["version"], **({"mlflow_model_url": registered["url"]} if registered.get("url") else {}))
        return registered
    try:
        return promote_version(make_backend(settings["tracking_uri"]), settings["tracking_uri"], registered["name"], registered["version"], CHAMPION)
    except Exception as exc:  # noqa: BLE001
        warn("MLflow at %s: %s version %s not promoted to %s (%s)" % (settings["tracking_uri"], registered["name"], registered["version"], CHAMPION[0], exc))
        return None

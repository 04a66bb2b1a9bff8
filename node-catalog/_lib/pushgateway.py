# --- pipewright _lib/pushgateway.py: metric and progress records to a Prometheus Pushgateway when PIPEWRIGHT_PUSHGATEWAY_URL is set ---
# Plain HTTP (urllib), the text exposition format, one group per step:
#   PUT <url>/metrics/job/pipewright/pipeline/<name>/run/<run id>/node/<node id>/stage/<step type>
# A background thread pushes at most every PIPEWRIGHT_PUSHGATEWAY_INTERVAL seconds (default 5) and once more when the
# step ends; a failed push is reported once on stderr and never stops the step. Only rank 0 of a multi-process step pushes.
import atexit
import base64
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request

PUSHGATEWAY_ENV = "PIPEWRIGHT_PUSHGATEWAY_URL"
_STEP_STARTED = time.time()
_SAFE_LABEL_VALUE = re.compile(r"^[A-Za-z0-9._~-]+$")

# name -> help; the help text of a name never changes (the Pushgateway refuses two helps for one name).
METRIC_HELP = {
    "pipewright_train_loss": "Training loss of the last logged step.",
    "pipewright_train_learning_rate": "Learning rate of the last logged step.",
    "pipewright_train_tokens_per_second": "Training throughput in tokens per second since the previous logged step.",
    "pipewright_train_epoch": "Epoch (fractional) of the last logged step.",
    "pipewright_train_grad_norm": "Gradient norm of the last logged step.",
    "pipewright_train_step": "Optimizer step of the last metric record.",
    "pipewright_eval_metric": "Evaluation metric of the step, by metric name.",
    "pipewright_step_metric": "Any other value the step reports, by metric name.",
    "pipewright_step_progress_current": "Items done of the step's current progress bar.",
    "pipewright_step_progress_total": "Items in the step's current progress bar.",
    "pipewright_step_last_progress_timestamp_seconds": "Unix time of the step's last metric or progress record.",
    "pipewright_step_start_timestamp_seconds": "Unix time the step started.",
    "pipewright_step_end_timestamp_seconds": "Unix time the step ended.",
    "pipewright_step_duration_seconds": "Seconds the step has run (until its end once it ended).",
    "pipewright_step_status": "1 for the step's current status (running, succeeded, failed), 0 for the others.",
    "pipewright_step_info": "Always 1; labels say where the step runs (pod on Kubernetes, host).",
}
_TRAIN_VALUES = {
    "loss": "pipewright_train_loss",
    "learning_rate": "pipewright_train_learning_rate",
    "tokens_per_second": "pipewright_train_tokens_per_second",
    "epoch": "pipewright_train_epoch",
    "grad_norm": "pipewright_train_grad_norm",
}
_TRAINING_STAGES = ("cpt", "sft")
_STATUSES = ("running", "succeeded", "failed")


def _is_rank_zero():
    return all(os.environ.get(name, "0").strip() in ("", "0") for name in ("RANK", "LOCAL_RANK"))


def _argv_value(flag):
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1 :]
    return None


def _params_file_settings():
    """The `_pipewright` section of --params-file (DVC and local runs carry the pipeline settings there)."""
    path = _argv_value("--params-file")
    return params_file_settings(path) if path and os.path.isfile(path) else {}


def _stage_name():
    doc = getattr(sys.modules.get("__main__"), "__doc__", None) or ""
    m = re.search(r"Pipewright step `([a-z][a-z0-9-]*)`", doc)
    return m.group(1) if m else "step"


def label_path_segment(name, value):
    """`name/value` of a grouping key; base64url (`name@base64/...`) for values a URL path cannot carry as they are."""
    value = str(value)
    if _SAFE_LABEL_VALUE.match(value) and value not in (".", ".."):
        return "%s/%s" % (name, value)
    encoded = base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii") or "="
    return "%s@base64/%s" % (name, encoded)


def format_sample_value(value):
    value = float(value)
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


def _label_text(labels):
    if not labels:
        return ""
    escape = lambda v: str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return "{" + ",".join('%s="%s"' % (k, escape(v)) for k, v in labels) + "}"


def exposition(families):
    """The text exposition format of {name: {labels tuple: value}}, names sorted."""
    lines = []
    for name in sorted(families):
        lines.append("# HELP %s %s" % (name, METRIC_HELP.get(name, name)))
        lines.append("# TYPE %s gauge" % name)
        for labels, value in sorted(families[name].items()):
            lines.append("%s%s %s" % (name, _label_text(labels), format_sample_value(value)))
    return "\n".join(lines) + "\n"


class PushgatewayClient:
    """The step's metric state, pushed whole (PUT) to its group."""

    def __init__(self, url, grouping, stage, interval):
        self.base = url.rstrip("/")
        self.url = self.base + "/metrics/job/pipewright/" + "/".join(label_path_segment(k, v) for k, v in grouping if v != "")
        self.stage = stage
        self.interval = interval
        self.families = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.stop = threading.Event()
        self.reported = False
        self.finished = False
        self.set("pipewright_step_start_timestamp_seconds", _STEP_STARTED)
        self._set_status("running")
        pod = os.environ.get("HOSTNAME", "") if os.environ.get("KUBERNETES_SERVICE_HOST") else ""
        info = (("host", os.uname().nodename if hasattr(os, "uname") else ""),) + ((("pod", pod),) if pod else ())
        self.set("pipewright_step_info", 1, info)
        self.thread = threading.Thread(target=self._loop, name="pipewright-pushgateway", daemon=True)
        self.thread.start()
        atexit.register(self.finish, None)

    def set(self, name, value, labels=()):
        with self.lock:
            self.families.setdefault(name, {})[tuple(labels)] = value

    def _set_status(self, status):
        for s in _STATUSES:
            self.set("pipewright_step_status", 1 if s == status else 0, (("status", s),))

    def record(self, prefix, record):
        now = time.time()
        if prefix == "progress":
            self.set("pipewright_step_progress_current", record.get("current", 0))
            self.set("pipewright_step_progress_total", record.get("total", 0))
        else:
            step = record.get("step")
            if isinstance(step, (int, float)) and not isinstance(step, bool):
                self.set("pipewright_train_step", step)
            for key, value in record.items():
                if key == "step" or isinstance(value, bool) or not isinstance(value, (int, float)):
                    continue
                name, labels = self._family(key)
                self.set(name, value, labels)
        self.set("pipewright_step_last_progress_timestamp_seconds", now)
        self.set("pipewright_step_duration_seconds", now - _STEP_STARTED)
        self.wake.set()

    def _family(self, key):
        if self.stage in _TRAINING_STAGES and key in _TRAIN_VALUES:
            return _TRAIN_VALUES[key], ()
        if key.startswith("eval_"):
            return "pipewright_eval_metric", (("metric", key[len("eval_") :]),)
        if self.stage in _TRAINING_STAGES:
            return "pipewright_step_metric", (("metric", key),)
        if "eval" in self.stage or "bench" in self.stage:
            return "pipewright_eval_metric", (("metric", key),)
        return "pipewright_step_metric", (("metric", key),)

    def _loop(self):
        while not self.stop.is_set():
            self.wake.wait()
            if self.stop.is_set():
                return
            self.wake.clear()
            self.push()
            # At most one push per interval: records that arrive meanwhile go out together.
            self.stop.wait(self.interval)

    def push(self, timeout=5.0):
        with self.lock:
            body = exposition(self.families).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="PUT", headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
            return True
        except urllib.error.HTTPError as exc:
            detail = "HTTP %d: %s" % (exc.code, exc.read()[:300].decode("utf-8", "replace").strip())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            detail = str(getattr(exc, "reason", exc))
        if not self.reported:
            self.reported = True
            sys.stderr.write("warning: pushing metrics to the Pushgateway at %s failed (%s); the step goes on, later pushes are tried without further warnings\n" % (self.base, detail))
            sys.stderr.flush()
        return False

    def finish(self, code):
        """The step ended (code None: the process exits without saying how): push its last state once, synchronously."""
        if self.finished:
            return
        self.finished = True
        self.stop.set()
        self.wake.set()
        self.thread.join(timeout=2.0)
        now = time.time()
        self._set_status("succeeded" if code == 0 else "failed")
        self.set("pipewright_step_end_timestamp_seconds", now)
        self.set("pipewright_step_duration_seconds", now - _STEP_STARTED)
        self.push(timeout=3.0)


_client = None
_disabled = False


def _pushgateway_client():
    global _client, _disabled
    if _client is not None or _disabled:
        return _client
    settings = _params_file_settings()
    url = (os.environ.get(PUSHGATEWAY_ENV) or settings.get("pushgateway_url") or "").strip()
    if not url or not _is_rank_zero():
        _disabled = True
        return None
    if not re.match(r"^https?://[^\s/]+", url):
        _disabled = True
        sys.stderr.write("warning: %s=%r is not an http:// or https:// URL; metrics are not pushed\n" % (PUSHGATEWAY_ENV, url))
        return None
    grouping = (
        ("pipeline", os.environ.get("PIPEWRIGHT_PIPELINE") or settings.get("pipeline") or ""),
        ("run", os.environ.get("PIPEWRIGHT_RUN_ID", "")),
        ("node", os.environ.get("PIPEWRIGHT_NODE_ID") or _argv_value("--params-key") or ""),
        ("stage", _stage_name()),
    )
    try:
        interval = max(0.5, float(os.environ.get("PIPEWRIGHT_PUSHGATEWAY_INTERVAL") or 5))
    except ValueError:
        interval = 5.0
    _client = PushgatewayClient(url, grouping, grouping[3][1], interval)
    return _client


def push_record(prefix, record):
    """Called for every metric / progress line the step prints; never raises."""
    if prefix not in (METRIC_PREFIX, PROGRESS_PREFIX):
        return
    try:
        client = _pushgateway_client()
        if client is not None:
            client.record("progress" if prefix == PROGRESS_PREFIX else "metric", record)
    except Exception as exc:  # noqa: BLE001 - monitoring must never stop a step
        sys.stderr.write("warning: Pushgateway metrics failed (%s); the step goes on\n" % exc)


def push_finish(code):
    """The step's exit status, pushed even when the step printed no record (so every step shows in the run status)."""
    try:
        client = _pushgateway_client()
        if client is not None:
            client.finish(code)
    except Exception:  # noqa: BLE001
        pass

# --- pipewright _lib/kube.py: the Kubernetes REST API from inside a pod (service account token), no kubernetes package ---
# In-cluster config as client libraries read it: KUBERNETES_SERVICE_HOST/PORT, the service account's token
# and ca.crt under /var/run/secrets/kubernetes.io/serviceaccount. PIPEWRIGHT_KUBE_API (a URL) and
# PIPEWRIGHT_SERVICEACCOUNT_DIR override the address and the folder (tests point them at the emulator).
import json
import os
import ssl
import time
import urllib.error
import urllib.request

SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
FIELD_MANAGER = "pipewright"

# kind -> (API path prefix, plural) for what deploy applies and reads.
KUBE_KINDS = {
    "Deployment": ("/apis/apps/v1", "deployments"),
    "Service": ("/api/v1", "services"),
    "Rollout": ("/apis/argoproj.io/v1alpha1", "rollouts"),
    "AnalysisTemplate": ("/apis/argoproj.io/v1alpha1", "analysistemplates"),
    "AnalysisRun": ("/apis/argoproj.io/v1alpha1", "analysisruns"),
}


class KubeError(Exception):
    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status


class KubeClient:
    """Just what deploy needs: server-side apply, get, merge patch. Errors carry the API server's Status message."""

    def __init__(self, base, token=None, ca_file=None, timeout=30):
        self.base = base.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.context = ssl.create_default_context(cafile=ca_file) if base.startswith("https") and ca_file else None

    @classmethod
    def in_cluster(cls):
        """The client for the pod's own cluster, or None when the step does not run in a pod (local runs)."""
        folder = os.environ.get("PIPEWRIGHT_SERVICEACCOUNT_DIR") or SERVICEACCOUNT_DIR
        token_file = os.path.join(folder, "token")
        base = os.environ.get("PIPEWRIGHT_KUBE_API")
        if not base:
            host, port = os.environ.get("KUBERNETES_SERVICE_HOST"), os.environ.get("KUBERNETES_SERVICE_PORT", "443")
            if not host:
                return None
            base = "https://%s:%s" % ("[%s]" % host if ":" in host else host, port)
        if not os.path.isfile(token_file):
            raise StepError("in-cluster Kubernetes API at %s but no service account token at %s: the deploy step's pod needs automountServiceAccountToken" % (base, token_file))
        with open(token_file, encoding="utf-8") as f:
            token = f.read().strip()
        ca = os.path.join(folder, "ca.crt")
        return cls(base, token, ca if os.path.isfile(ca) else None)

    def path(self, kind, namespace, name=None, sub=None):
        prefix, plural = KUBE_KINDS[kind]
        out = "%s/namespaces/%s/%s" % (prefix, namespace, plural)
        if name:
            out += "/" + name
        if sub:
            out += "/" + sub
        return out

    def request(self, method, path, body=None, content_type="application/json"):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", content_type)
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout, context=self.context) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                message = json.loads(raw.decode("utf-8")).get("message") or raw.decode("utf-8", "replace")
            except ValueError:
                message = raw.decode("utf-8", "replace")[:500]
            raise KubeError(exc.code, "%s %s: %s %s" % (method, path, exc.code, message))
        except (urllib.error.URLError, OSError) as exc:
            raise KubeError(0, "%s %s: %s" % (method, path, getattr(exc, "reason", exc)))
        return json.loads(raw.decode("utf-8")) if raw else None

    def apply(self, obj, namespace):
        """Server-side apply (PATCH application/apply-patch+yaml; JSON is YAML), field manager `pipewright`, force: Pipewright owns these objects."""
        path = self.path(obj["kind"], namespace, obj["metadata"]["name"]) + "?fieldManager=%s&force=true" % FIELD_MANAGER
        return self.request("PATCH", path, obj, "application/apply-patch+yaml")

    def get(self, kind, namespace, name):
        return self.request("GET", self.path(kind, namespace, name))

    def try_get(self, kind, namespace, name):
        try:
            return self.get(kind, namespace, name)
        except KubeError as exc:
            if exc.status == 404:
                return None
            raise

    def abort_rollout(self, namespace, name):
        """As `kubectl argo rollouts abort` does: merge patch status.abort on the status subresource, else on the object."""
        body = {"status": {"abort": True}}
        try:
            return self.request("PATCH", self.path("Rollout", namespace, name, "status"), body, "application/merge-patch+json")
        except KubeError as exc:
            if exc.status != 404:
                raise
            return self.request("PATCH", self.path("Rollout", namespace, name), body, "application/merge-patch+json")


def parse_duration(text, what="duration"):
    """Seconds of a Go/Argo duration: 90s, 10m, 1h30m, 2h; a bare number is seconds."""
    value = str(text).strip()
    if not value:
        raise StepError("%s is empty" % what, EXIT_USAGE)
    try:
        return float(value)
    except ValueError:
        pass
    total, number, units = 0.0, "", {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    i = 0
    while i < len(value):
        c = value[i]
        if c.isdigit() or c == ".":
            number += c
            i += 1
            continue
        unit = value[i:i + 2] if value[i:i + 2] == "ms" else c
        if unit not in units or not number:
            raise StepError("%s %r is not a duration like 90s, 10m or 1h30m" % (what, text), EXIT_USAGE)
        total += float(number) * units[unit]
        number = ""
        i += len(unit)
    if number:
        raise StepError("%s %r is not a duration like 90s, 10m or 1h30m (a unit is missing after %s)" % (what, text, number), EXIT_USAGE)
    return total

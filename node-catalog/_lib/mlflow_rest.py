# --- pipewright _lib/mlflow_rest.py: MLflow's REST API 2.0 with the standard library (no mlflow package needed) ---
# Endpoints, fields and error codes: https://mlflow.org/docs/latest/rest-api.html (mlflow/protos/service.proto,
# model_registry.proto, mlflow_artifacts.proto). Credentials and knobs use MLflow's own environment variables.
import base64
import json
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request

RETRY_STATUS = (429, 500, 502, 503, 504)


class MlflowApiError(Exception):
    """A refused request: `status` is the HTTP status, `code` MLflow's error_code (e.g. RESOURCE_ALREADY_EXISTS)."""

    def __init__(self, status, code, message, endpoint):
        super().__init__("%s %s: HTTP %s %s" % (endpoint, code or "", status, message))
        self.status, self.code, self.message = status, code, message


class MlflowUnreachable(Exception):
    """The server could not be reached, or kept failing with 5xx, after every retry."""


def _env_number(name, default, kind=float):
    try:
        return kind(os.environ.get(name, default))
    except ValueError:
        return default


class MlflowRestClient:
    """Requests to one tracking server, with auth from MLFLOW_TRACKING_TOKEN or _USERNAME/_PASSWORD and bounded retries."""

    def __init__(self, tracking_uri, sleep=time.sleep):
        self.base = tracking_uri.rstrip("/")
        self.sleep = sleep
        self.retries = max(0, _env_number("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 4, int))
        self.backoff = max(0.0, _env_number("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 0.5))
        self.timeout = max(1.0, _env_number("MLFLOW_HTTP_REQUEST_TIMEOUT", 30))
        self.headers = {}
        token = os.environ.get("MLFLOW_TRACKING_TOKEN")
        user, password = os.environ.get("MLFLOW_TRACKING_USERNAME"), os.environ.get("MLFLOW_TRACKING_PASSWORD")
        if token:
            self.headers["Authorization"] = "Bearer " + token
        elif user and password:
            self.headers["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.context = self._tls_context()

    @staticmethod
    def _tls_context():
        context = ssl.create_default_context(cafile=os.environ.get("MLFLOW_TRACKING_SERVER_CERT_PATH") or None)
        if os.environ.get("MLFLOW_TRACKING_INSECURE_TLS", "").lower() == "true":
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        client_cert = os.environ.get("MLFLOW_TRACKING_CLIENT_CERT_PATH")
        if client_cert:
            context.load_cert_chain(client_cert)
        return context

    def _send(self, method, url, body, headers, endpoint):
        """One request with retries on connection errors and 429/5xx; returns the response bytes."""
        last = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * (2 ** (attempt - 1)))
            data = body() if callable(body) else body
            request = urllib.request.Request(url, data=data, method=method, headers=dict(self.headers, **headers))
            try:
                with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                    return response.read()
            except urllib.error.HTTPError as err:
                text = err.read().decode("utf-8", "replace")
                if err.code not in RETRY_STATUS:
                    try:
                        answer = json.loads(text)
                    except ValueError:
                        answer = {}
                    answer = answer if isinstance(answer, dict) else {}
                    raise MlflowApiError(err.code, answer.get("error_code"), answer.get("message") or text.strip()[:300], endpoint)
                last = "HTTP %d %s" % (err.code, text.strip()[:200])
            except (urllib.error.URLError, OSError) as err:
                last = str(getattr(err, "reason", err))
            finally:
                if hasattr(data, "close"):
                    data.close()
        raise MlflowUnreachable("%s %s failed %d time(s), last: %s" % (method, endpoint, self.retries + 1, last))

    def call(self, method, endpoint, body=None):
        """A JSON endpoint under /api/2.0/: GET sends `body` as the query string, others as JSON."""
        url = "%s/api/2.0/%s" % (self.base, endpoint)
        headers, data = {}, None
        if method == "GET" and body:
            url += "?" + urllib.parse.urlencode(body)
        elif method != "GET":
            headers["Content-Type"] = "application/json"
            data = json.dumps(body or {}).encode("utf-8")
        raw = self._send(method, url, data, headers, endpoint)
        return json.loads(raw.decode("utf-8")) if raw.strip() else {}

    def artifacts_base(self, artifact_uri):
        """The HTTP URL under which the server proxies `artifact_uri`, or None when it is not proxied (s3://, gs://, ...)."""
        parsed = urllib.parse.urlparse(artifact_uri)
        if parsed.scheme == "mlflow-artifacts":
            root = "%s://%s" % (urllib.parse.urlparse(self.base).scheme, parsed.netloc) if parsed.netloc else self.base
            return "%s/api/2.0/mlflow-artifacts/artifacts/%s" % (root, parsed.path.lstrip("/"))
        if parsed.scheme in ("http", "https") and "/api/2.0/mlflow-artifacts/artifacts" in parsed.path:
            return artifact_uri.rstrip("/")
        return None

    def upload_file(self, url, path):
        """PUT one file (streamed from disk, so memory stays bounded) to the proxied artifact store."""
        size = os.path.getsize(path)
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(size)}
        self._send("PUT", url, lambda: open(path, "rb"), headers, "mlflow-artifacts/artifacts")

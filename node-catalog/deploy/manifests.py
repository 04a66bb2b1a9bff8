# --- pipewright deploy/manifests.py: the serving objects of a model (Deployment, Service; with canary an Argo Rollout and its AnalysisTemplate) ---
import os
import re

PORT = 8000
MODEL_DIR = "/models/model"
MLFLOW_IMAGE = "ghcr.io/mlflow/mlflow:v2.17.2"
CANARY_WEIGHTS = (25, 50, 75)


def dns_name(text):
    name = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    return ("pipewright-" + (name or "model"))[:63].rstrip("-")


def model_reference(executor_input, path):
    """The model's URI: from KFP's executor input, from a KFP mount path (/s3/..., /gcs/..., /minio/...), else the local path."""
    uri = kfp_artifact_uri(executor_input, "inputs", "model")
    if uri:
        return uri
    path = os.path.abspath(path)
    for prefix, mount in _KFP_MOUNTS:
        if path.startswith(mount):
            return prefix + path[len(mount):]
    return path


def model_source(ref):
    """(volume, init containers) that put the model at /models/model: fetched from a bucket, or a host path."""
    if ref.startswith(("s3://", "minio://")):
        fetch = {"name": "fetch-model", "image": "amazon/aws-cli:2.17.0", "command": ["aws", "s3", "cp", "--recursive", "s3://" + ref.split("://", 1)[1], MODEL_DIR]}
        if ref.startswith("minio://"):
            # KFP's default artifact store: the in-cluster MinIO and its credentials Secret.
            secret = lambda key: {"secretKeyRef": {"name": "mlpipeline-minio-artifact", "key": key}}
            fetch["env"] = [{"name": "AWS_ENDPOINT_URL", "value": "http://minio-service.kubeflow:9000"},
                            {"name": "AWS_ACCESS_KEY_ID", "valueFrom": secret("accesskey")}, {"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": secret("secretkey")}]
    elif ref.startswith(("models:/", "runs:/", "mlflow-artifacts:")):
        # A registry version or run artifact: MLflow's own CLI downloads it (the tracking server proxies the store).
        fetch = {"name": "fetch-model", "image": MLFLOW_IMAGE, "command": ["mlflow", "artifacts", "download", "--artifact-uri", ref, "--dst-path", MODEL_DIR],
                 "env": [{"name": "MLFLOW_TRACKING_URI", "value": os.environ.get("MLFLOW_TRACKING_URI", "")}]}
    elif ref.startswith("gs://"):
        fetch = {"name": "fetch-model", "image": "google/cloud-sdk:slim", "command": ["gsutil", "-m", "cp", "-r", ref.rstrip("/") + "/*", MODEL_DIR]}
    else:
        return {"name": "model", "hostPath": {"path": ref, "type": "Directory"}}, []
    fetch["volumeMounts"] = [{"name": "model", "mountPath": MODEL_DIR}]
    return {"name": "model", "emptyDir": {}}, [fetch]


def server_args(info, served):
    if info.get("adapter"):
        base = info.get("base_model") or ""
        args = ["--model", base, "--enable-lora", "--lora-modules", "%s=%s" % (served, MODEL_DIR), "--max-lora-rank", str(int(info.get("lora_r") or 64))]
        if "bnb-4bit" in base:
            args += ["--quantization", "bitsandbytes", "--load-format", "bitsandbytes"]
    else:
        args = ["--model", MODEL_DIR, "--served-model-name", served]
    return args + ["--port", str(PORT)]


def model_env(ref, registered):
    """MODEL_URI and MODEL_VERSION as the tutorial's server reads them: the registry's version when MLflow registered one."""
    if registered and registered.get("name") and registered.get("version"):
        return "models:/%s/%s" % (registered["name"], registered["version"]), str(registered["version"])
    return ref, os.environ.get("PIPEWRIGHT_RUN_ID") or "unregistered"


def render(params, info, ref, name, registered=None):
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "pipewright"}
    run_id = os.environ.get("PIPEWRIGHT_RUN_ID")
    meta = {"name": name, "labels": dict(labels, **({"pipewright.io/run-id": re.sub(r"[^A-Za-z0-9_.-]", "-", run_id)[:63]} if run_id else {}))}
    volume, init = model_source(ref)
    model_uri, model_version = model_env(ref, registered)
    probe = {"httpGet": {"path": "/health", "port": PORT}, "periodSeconds": 10}
    container = {
        "name": "server", "image": params["serving_image"], "args": server_args(info, name),
        "env": [{"name": "MODEL_URI", "value": model_uri}, {"name": "MODEL_VERSION", "value": model_version}],
        "ports": [{"name": "http", "containerPort": PORT}],
        "resources": {"requests": {"cpu": "4", "memory": "32Gi"}, "limits": {"nvidia.com/gpu": 1}},
        "volumeMounts": [{"name": "model", "mountPath": MODEL_DIR, "readOnly": True}, {"name": "shm", "mountPath": "/dev/shm"}],
        "readinessProbe": dict(probe, initialDelaySeconds=60), "livenessProbe": dict(probe, initialDelaySeconds=300, failureThreshold=6),
    }
    pod = {"containers": [container], "volumes": [volume, {"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}}]}
    if init:
        pod = dict({"initContainers": init}, **pod)
    annotations = {"pipewright.io/model-ref": ref, "pipewright.io/model-version": model_version, "pipewright.io/engine": str(info.get("engine"))}
    # With a canary the Rollout owns the pods: the Deployment only holds the pod template (workloadRef), at 0 replicas.
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": dict(meta, annotations=annotations),
                  "spec": {"replicas": 0 if params["canary"] else params["replicas"], "selector": {"matchLabels": labels},
                           "template": {"metadata": {"labels": labels, "annotations": {"pipewright.io/model-version": model_version}}, "spec": pod}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"type": params["service_type"], "selector": labels, "ports": [{"name": "http", "port": params["service_port"], "targetPort": PORT}]}}
    docs = {"deployment.yaml": deployment, "service.yaml": service}
    if params["canary"]:
        docs.update(render_canary(params, meta, labels, name))
    return docs


def success_conditions(rate):
    """No data must never pass: an empty result or NaN (no requests) meets neither condition, so the measurement is Inconclusive."""
    return "len(result) > 0 && result[0] >= %s" % rate, "len(result) > 0 && result[0] < %s" % rate


def render_canary(params, meta, labels, name):
    analysis = name[:48] + "-success-rate"
    steps = []
    for weight in CANARY_WEIGHTS:
        steps += [{"setWeight": weight}, {"pause": {"duration": params["pause"]}}]
    rollout = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": meta,
               "spec": {"replicas": params["replicas"], "revisionHistoryLimit": 3, "selector": {"matchLabels": labels},
                        "workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                        "strategy": {"canary": {"steps": steps, "analysis": {"templates": [{"templateName": analysis}], "startingStep": 1,
                                                                                "args": [{"name": "service-name", "value": name}]}}}}}
    selector = 'service="{{args.service-name}}"'
    query = 'sum(rate(http_requests_total{%s,status!~"5.."}[2m])) / sum(rate(http_requests_total{%s}[2m]))' % (selector, selector)
    success, failure = success_conditions(params["success_rate"])
    template = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": dict(meta, name=analysis),
                "spec": {"args": [{"name": "service-name"}],
                         "metrics": [{"name": "success-rate", "interval": params["analysis_interval"], "count": params["analysis_count"],
                                      "failureLimit": 2, "inconclusiveLimit": 1,
                                      "successCondition": success, "failureCondition": failure,
                                      "provider": {"prometheus": {"address": params["prometheus_url"], "query": query}}}]}}
    return {"rollout.yaml": rollout, "analysis-template.yaml": template}

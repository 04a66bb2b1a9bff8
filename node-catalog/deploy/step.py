#!/usr/bin/env python3
"""Pipewright step `deploy`: render the serving manifests of a model (rendered only, never applied).

Checks the eval gate first: with min_accuracy > 0 the metrics input must show accuracy >= min_accuracy,
else the step refuses (exit 1). Writes into --out-endpoint: deployment.yaml + service.yaml (an
OpenAI-compatible server, `replicas` pods with one GPU each), with canary on also rollout.yaml (an Argo
Rollout over the Deployment: 25/50/75 % steps with pauses) and analysis-template.yaml (a Prometheus
success-rate check), kustomization.yaml, all.yaml and endpoint.json (the service URL).
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/model.py
# pipewright:include ../_lib/yaml.py
# pipewright:include ../_lib/mlflow_rest.py
# pipewright:include ../_lib/mlflow_backends.py
# pipewright:include ../_lib/mlflow_log.py

import re

PARAMS = [
    Param("replicas", "integer", 2, "Serving pods, one GPU each.", minimum=1, maximum=1000),
    Param("serving_image", "string", "vllm/vllm-openai:v0.6.3", "Image of the inference server.", required=True),
    Param("min_accuracy", "number", 0, "Refuse to deploy below this eval accuracy (0 to 1).", minimum=0, maximum=1),
    Param("canary", "boolean", False, "Argo Rollout with 25/50/75 % steps and a success-rate analysis."),
]
INPUTS = [Port("model", "model", help="the model to serve"), Port("metrics", "metrics", optional=True, help="eval metrics for the accuracy gate")]
OUTPUTS = [Port("endpoint", "endpoint", help="manifests and endpoint.json")]
PORT = 8000
MODEL_DIR = "/models/model"
SUCCESS_RATE = 0.95
CANARY_WEIGHTS = (25, 50, 75)


def read_accuracy(path):
    file = path
    if os.path.isdir(path):
        file = os.path.join(path, "metrics.json")
        if not os.path.isfile(file):
            found = sorted(n for n in os.listdir(path) if n.endswith(".json"))
            if not found:
                raise StepError("no metrics.json in %s" % path, EXIT_INPUT)
            file = os.path.join(path, found[0])
    metrics = read_json_file(file)
    accuracy = metrics.get("accuracy") if isinstance(metrics, dict) else None
    if not isinstance(accuracy, (int, float)) or isinstance(accuracy, bool):
        raise StepError("%s has no numeric 'accuracy'" % file, EXIT_INPUT)
    return float(accuracy), file


def check_gate(min_accuracy, metrics_path):
    if metrics_path is None:
        if min_accuracy > 0:
            raise StepError("min_accuracy is %s but no metrics input is connected: connect the eval node's metrics, or set min_accuracy to 0" % min_accuracy)
        return None
    accuracy, file = read_accuracy(metrics_path)
    if accuracy < min_accuracy:
        raise StepError("refusing to deploy: accuracy %.4f is below min_accuracy %s (from %s)" % (accuracy, min_accuracy, file))
    say("gate passed: accuracy %.4f >= min_accuracy %s" % (accuracy, min_accuracy))
    return accuracy


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


def render(params, info, ref, name):
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "pipewright"}
    run_id = os.environ.get("PIPEWRIGHT_RUN_ID")
    meta = {"name": name, "labels": dict(labels, **({"pipewright.io/run-id": re.sub(r"[^A-Za-z0-9_.-]", "-", run_id)[:63]} if run_id else {}))}
    volume, init = model_source(ref)
    probe = {"httpGet": {"path": "/health", "port": PORT}, "periodSeconds": 10}
    container = {
        "name": "server", "image": params["serving_image"], "args": server_args(info, name),
        "ports": [{"name": "http", "containerPort": PORT}],
        "resources": {"requests": {"cpu": "4", "memory": "32Gi"}, "limits": {"nvidia.com/gpu": 1}},
        "volumeMounts": [{"name": "model", "mountPath": MODEL_DIR, "readOnly": True}, {"name": "shm", "mountPath": "/dev/shm"}],
        "readinessProbe": dict(probe, initialDelaySeconds=60), "livenessProbe": dict(probe, initialDelaySeconds=300, failureThreshold=6),
    }
    pod = {"containers": [container], "volumes": [volume, {"name": "shm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}}]}
    if init:
        pod = dict({"initContainers": init}, **pod)
    annotations = {"pipewright.io/model-ref": ref, "pipewright.io/engine": str(info.get("engine"))}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": dict(meta, annotations=annotations),
                  "spec": {"replicas": params["replicas"], "selector": {"matchLabels": labels},
                           "template": {"metadata": {"labels": labels}, "spec": pod}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": meta,
               "spec": {"type": "ClusterIP", "selector": labels, "ports": [{"name": "http", "port": PORT, "targetPort": PORT}]}}
    docs = {"deployment.yaml": deployment, "service.yaml": service}
    if params["canary"]:
        docs.update(render_canary(params, meta, labels, name))
    return docs


def render_canary(params, meta, labels, name):
    analysis = name[:48] + "-success-rate"
    steps = []
    for weight in CANARY_WEIGHTS:
        steps += [{"setWeight": weight}, {"pause": {"duration": "10m"}}]
    rollout = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": meta,
               "spec": {"replicas": params["replicas"], "revisionHistoryLimit": 3, "selector": {"matchLabels": labels},
                        "workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "scaleDown": "progressively"},
                        "strategy": {"canary": {"steps": steps, "analysis": {"templates": [{"templateName": analysis}], "startingStep": 1,
                                                                                "args": [{"name": "service-name", "value": name}]}}}}}
    selector = 'service="{{args.service-name}}"'
    query = 'sum(rate(http_requests_total{%s,status!~"5.."}[2m])) / sum(rate(http_requests_total{%s}[2m]))' % (selector, selector)
    prometheus = os.environ.get("PIPEWRIGHT_PROMETHEUS_URL", "http://prometheus.monitoring.svc.cluster.local:9090")
    template = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate", "metadata": dict(meta, name=analysis),
                "spec": {"args": [{"name": "service-name"}],
                         "metrics": [{"name": "success-rate", "interval": "1m", "count": 5, "failureLimit": 2,
                                      "successCondition": "len(result) == 0 || isNaN(result[0]) || result[0] >= %s" % SUCCESS_RATE,
                                      "provider": {"prometheus": {"address": prometheus, "query": query}}}]}}
    return {"rollout.yaml": rollout, "analysis-template.yaml": template}


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS)
    p = args.params
    accuracy = check_gate(p["min_accuracy"], args.inputs.get("metrics"))
    info = read_model_info(args.inputs["model"])
    ref = model_reference(args.executor_input, info["path"])
    registered = promote_to_champion(args.inputs["model"], args)
    name = dns_name(os.environ.get("PIPEWRIGHT_NODE_ID") or "model")
    docs = render(p, info, ref, name)
    out_dir = ensure_dir(args.outputs["endpoint"])
    for file, doc in docs.items():
        with open(os.path.join(out_dir, file), "w", encoding="utf-8") as f:
            f.write(to_yaml(doc))
    with open(os.path.join(out_dir, "all.yaml"), "w", encoding="utf-8") as f:
        f.write(to_yaml_documents(list(docs.values())))
    with open(os.path.join(out_dir, "kustomization.yaml"), "w", encoding="utf-8") as f:
        f.write(to_yaml({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": list(docs)}))
    namespace = os.environ.get("PIPEWRIGHT_NAMESPACE")
    host = "%s.%s.svc.cluster.local" % (name, namespace) if namespace else name
    endpoint = {"url": "http://%s:%d/v1" % (host, PORT), "service": name, "model": name, "model_ref": ref, "engine": info.get("engine"),
                "replicas": p["replicas"], "serving_image": p["serving_image"], "canary": p["canary"], "accuracy": accuracy,
                "manifests": sorted(docs) + ["all.yaml", "kustomization.yaml"]}
    if registered:
        endpoint["model_version"] = {"name": registered["name"], "version": registered["version"]}
    write_json(os.path.join(out_dir, "endpoint.json"), endpoint)
    if info.get("engine") == "tiny":
        warn("the tiny engine's model is for smoke runs: the manifests render, but an inference server cannot load it")
    emit_info(endpoint=endpoint["url"], manifests=endpoint["manifests"], canary=p["canary"])
    say("deploy: rendered %s into %s (not applied; apply with kubectl apply -k %s)" % (", ".join(sorted(docs)), out_dir, out_dir))


if __name__ == "__main__":
    run_step(main)

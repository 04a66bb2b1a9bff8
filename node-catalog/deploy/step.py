#!/usr/bin/env python3
"""Pipewright step `deploy`: render the serving manifests of a model and, in a cluster, apply and follow them.

Checks the eval gate first: with min_accuracy > 0 the metrics input must show accuracy >= min_accuracy,
and with max_perplexity > 0 perplexity <= max_perplexity, else the step refuses (exit 1). Writes into --out-endpoint: deployment.yaml + service.yaml (an
OpenAI-compatible server, `replicas` pods with one GPU each, MODEL_URI and MODEL_VERSION in its env), with
canary on also rollout.yaml (an Argo Rollout over the Deployment: 25/50/75 % steps with pauses) and
analysis-template.yaml (a Prometheus success-rate check that fails or stays inconclusive without data),
kustomization.yaml, all.yaml and endpoint.json (the service URL).

In a pod (the service account's token mounted) with apply on, the objects are server-side applied (field
manager `pipewright`) to `namespace`, then followed: a Deployment until its replicas are ready, a Rollout
through its canary steps, pauses and analysis, printed as PIPEWRIGHT_DEPLOY lines. A failed or
inconclusive analysis, or `timeout`, aborts the Rollout and fails the step with the reason. Local runs
only render.
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
# pipewright:include ../_lib/kube.py
# pipewright:include manifests.py
# pipewright:include rollout.py

import re

PARAMS = [
    Param("replicas", "integer", 4, "Serving pods, one GPU each.", minimum=1, maximum=1000),
    Param("serving_image", "string", "vllm/vllm-openai:v0.6.3", "Image of the inference server.", required=True),
    Param("min_accuracy", "number", 0, "Refuse to deploy below this eval accuracy (0 to 1).", minimum=0, maximum=1),
    Param("max_perplexity", "number", 0, "Refuse to deploy above this eval perplexity (0: no limit).", minimum=0, maximum=1e9),
    Param("canary", "boolean", False, "Argo Rollout with 25/50/75 % steps and a success-rate analysis."),
    Param("namespace", "string", "inference", "Namespace the serving objects are applied to.", required=True),
    Param("apply", "boolean", True, "In a cluster, apply the manifests and follow the rollout (false: render only)."),
    Param("service_type", "string", "LoadBalancer", "Kubernetes Service type.", choices=["ClusterIP", "NodePort", "LoadBalancer"]),
    Param("service_port", "integer", 80, "Port the Service listens on (forwards to the server's 8000).", minimum=1, maximum=65535),
    Param("pause", "string", "10m", "Pause after each canary weight (Argo duration: 30s, 10m, 1h)."),
    Param("analysis_interval", "string", "2m", "Time between two success-rate measurements."),
    Param("analysis_count", "integer", 5, "Success-rate measurements per analysis.", minimum=1, maximum=1000),
    Param("success_rate", "number", 0.95, "Least share of non-5xx requests for a measurement to pass (0 to 1).", minimum=0, maximum=1),
    Param("prometheus_url", "string", "http://prometheus.monitoring.svc.cluster.local:9090", "Prometheus the analysis queries."),
    Param("timeout", "string", "60m", "Longest wait for the rollout; then it is aborted and the step fails."),
    Param("watch_alias", "string", "", "Keep running and redeploy whenever the registry's version for this alias (e.g. champion) changes; empty: off."),
    Param("watch_interval", "string", "5m", "How often the registry is asked while watching."),
]
INPUTS = [Port("model", "model", help="the model to serve"), Port("metrics", "metrics", optional=True, help="eval metrics for the accuracy gate")]
OUTPUTS = [Port("endpoint", "endpoint", help="manifests and endpoint.json")]


def read_metrics(path):
    file = path
    if os.path.isdir(path):
        file = os.path.join(path, "metrics.json")
        if not os.path.isfile(file):
            found = sorted(n for n in os.listdir(path) if n.endswith(".json"))
            if not found:
                raise StepError("no metrics.json in %s" % path, EXIT_INPUT)
            file = os.path.join(path, found[0])
    metrics = read_json_file(file)
    return (metrics if isinstance(metrics, dict) else {}), file


def metric_value(metrics, file, key):
    value = metrics.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise StepError("%s has no numeric '%s'" % (file, key), EXIT_INPUT)
    return float(value)


def check_gate(min_accuracy, metrics_path, max_perplexity=0):
    if metrics_path is None:
        if min_accuracy > 0 or max_perplexity > 0:
            which = "min_accuracy is %s" % min_accuracy if min_accuracy > 0 else "max_perplexity is %s" % max_perplexity
            raise StepError("%s but no metrics input is connected: connect the eval node's metrics, or set it to 0" % which)
        return None
    metrics, file = read_metrics(metrics_path)
    accuracy = metric_value(metrics, file, "accuracy")
    if accuracy < min_accuracy:
        raise StepError("refusing to deploy: accuracy %.4f is below min_accuracy %s (from %s)" % (accuracy, min_accuracy, file))
    if max_perplexity > 0:
        perplexity = metric_value(metrics, file, "perplexity")
        # An untrained byte-level model scores about the number of byte values; a model that learnt scores far less.
        if perplexity > max_perplexity:
            raise StepError("refusing to deploy: perplexity %.2f is above max_perplexity %s (from %s): the model has not learnt enough" % (perplexity, max_perplexity, file))
        say("gate passed: accuracy %.4f >= min_accuracy %s, perplexity %.2f <= max_perplexity %s" % (accuracy, min_accuracy, perplexity, max_perplexity))
    else:
        say("gate passed: accuracy %.4f >= min_accuracy %s" % (accuracy, min_accuracy))
    return accuracy


def check_params(p):
    for key in ("pause", "analysis_interval", "timeout", "watch_interval"):
        parse_duration(p[key], "--%s" % key)
    if not re.match(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", p["namespace"]) or len(p["namespace"]) > 63:
        raise StepError("--namespace %r is not a Kubernetes namespace name (lowercase letters, digits and '-', at most 63)" % p["namespace"], EXIT_USAGE)


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS)
    p = args.params
    check_params(p)
    accuracy = check_gate(p["min_accuracy"], args.inputs.get("metrics"), p["max_perplexity"])
    info = read_model_info(args.inputs["model"])
    ref = model_reference(args.executor_input, info["path"])
    registered = read_model_link(args.inputs["model"]).get("registered_model") or None
    name = dns_name(os.environ.get("PIPEWRIGHT_NODE_ID") or "model")
    docs = render(p, info, ref, name, registered)
    out_dir = ensure_dir(args.outputs["endpoint"])
    for file, doc in docs.items():
        with open(os.path.join(out_dir, file), "w", encoding="utf-8") as f:
            f.write(to_yaml(doc))
    with open(os.path.join(out_dir, "all.yaml"), "w", encoding="utf-8") as f:
        f.write(to_yaml_documents(list(docs.values())))
    with open(os.path.join(out_dir, "kustomization.yaml"), "w", encoding="utf-8") as f:
        f.write(to_yaml({"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "namespace": p["namespace"], "resources": list(docs)}))
    host = "%s.%s.svc.cluster.local" % (name, p["namespace"])
    model_uri, model_version = model_env(ref, registered)
    endpoint = {"url": "http://%s:%d/v1" % (host, p["service_port"]), "service": name, "namespace": p["namespace"], "model": name, "model_ref": ref,
                "model_env": {"MODEL_URI": model_uri, "MODEL_VERSION": model_version}, "engine": info.get("engine"), "replicas": p["replicas"],
                "serving_image": p["serving_image"], "canary": p["canary"], "accuracy": accuracy, "applied": False,
                "manifests": sorted(docs) + ["all.yaml", "kustomization.yaml"]}
    local = bool(os.environ.get("PIPEWRIGHT_LOCAL_RUN"))
    client = KubeClient.in_cluster() if p["apply"] and not local else None
    if info.get("engine") == "tiny":
        warn("the tiny engine's model is for smoke runs: the manifests render, but an inference server cannot load it")
    if client is None:
        emit_deploy({"kind": "Rollout" if p["canary"] else "Deployment", "name": name, "phase": "Rendered"})
        say("deploy: rendered %s into %s (not applied: %s; apply with kubectl apply -k %s)" % (
            ", ".join(sorted(docs)), out_dir, "apply is off" if not p["apply"] else "a local run" if local else "not running in a cluster", out_dir))
    else:
        try:
            state, external = apply_and_follow(client, docs, p, name)
        except KubeError as exc:
            hint = " (the deploy step's service account needs: %s)" % permission_summary(p["namespace"]) if exc.status == 403 else ""
            raise StepError("deploy to namespace %s: %s%s" % (p["namespace"], exc, hint))
        endpoint.update(applied=True, phase=state.get("phase"))
        if external:
            endpoint["external_url"] = external
        say("deploy: %s %s/%s is %s%s" % (state["kind"], p["namespace"], name, state.get("phase"), " at " + external if external else ""))
    promoted = promote_to_champion(args.inputs["model"], args)
    if promoted:
        endpoint["model_version"] = {"name": promoted["name"], "version": promoted["version"]}
    write_json(os.path.join(out_dir, "endpoint.json"), endpoint)
    emit_info(endpoint=endpoint["url"], manifests=endpoint["manifests"], canary=p["canary"])
    if p["watch_alias"]:
        if client is None:
            say("deploy: --watch_alias %s is ignored: nothing was applied, so there is nothing to redeploy" % p["watch_alias"])
        else:
            watch_registry(client, p, info, name, (promoted or registered or {}).get("version"), mlflow_settings(args))


def watch_registry(client, p, info, name, deployed_version, settings):
    """The tutorial's auto_deploy_on_model_update: poll the registry's alias and roll out each new version it points to.

    A failed rollout is aborted (the stable version keeps serving) and watching goes on; the step runs until cancelled
    (PIPEWRIGHT_DEPLOY_WATCH_ROUNDS bounds the polls, for a one-shot check)."""
    model = settings["registered_model"]
    if not settings["tracking_uri"] or not model:
        raise StepError("--watch_alias %s needs the pipeline's MLflow tracking URI and registered model name (settings mlflowTrackingUri, registeredModelName)" % p["watch_alias"], EXIT_USAGE)
    rest = MlflowRestClient(settings["tracking_uri"])
    interval = parse_duration(p["watch_interval"], "--watch_interval")
    rounds = int(os.environ.get("PIPEWRIGHT_DEPLOY_WATCH_ROUNDS") or 0)
    say("watching %s@%s in %s every %ss (deployed: %s)" % (model, p["watch_alias"], settings["tracking_uri"], interval, deployed_version or "no registry version"))
    polls = 0
    while not rounds or polls < rounds:
        polls += 1
        try:
            version = rest.call("GET", "mlflow/registered-models/alias", {"name": model, "alias": p["watch_alias"]})["model_version"]
        except (MlflowApiError, MlflowUnreachable, KeyError) as exc:
            warn("registry %s: cannot read %s@%s (%s); asking again in %ss" % (settings["tracking_uri"], model, p["watch_alias"], exc, interval))
            time.sleep(interval)
            continue
        if str(version.get("version")) != str(deployed_version):
            source = version.get("source") or "models:/%s/%s" % (model, version["version"])
            say("registry: %s@%s is version %s (deployed: %s): rolling it out" % (model, p["watch_alias"], version["version"], deployed_version or "none"))
            docs = render(p, info, source, name, {"name": model, "version": str(version["version"])})
            try:
                state, _ = apply_and_follow(client, docs, p, name)
                deployed_version = str(version["version"])
                emit_info(mlflow_model_name=model, mlflow_model_version=deployed_version)
                say("deploy: version %s is %s" % (deployed_version, state.get("phase")))
            except StepError as exc:
                warn("version %s was not rolled out: %s; the stable version keeps serving, watching goes on" % (version["version"], exc))
                deployed_version = str(version["version"])
        time.sleep(interval)


# What the deploy step's service account must be allowed (node-catalog/deploy/permissions.ts holds the same list for pre-flight).
# Server-side apply is a patch, and a create where the object does not exist yet.
PERMISSIONS = [
    ("create", "", "services"), ("patch", "", "services"), ("get", "", "services"),
    ("create", "apps", "deployments"), ("patch", "apps", "deployments"), ("get", "apps", "deployments"),
    ("create", "argoproj.io", "analysistemplates"), ("patch", "argoproj.io", "analysistemplates"),
    ("create", "argoproj.io", "rollouts"), ("patch", "argoproj.io", "rollouts"), ("get", "argoproj.io", "rollouts"),
    ("patch", "argoproj.io", "rollouts/status"), ("get", "argoproj.io", "analysisruns"),
]


def permission_summary(namespace):
    return ", ".join("%s %s%s in %s" % (verb, resource, "." + group if group else "", namespace) for verb, group, resource in PERMISSIONS)


if __name__ == "__main__":
    run_step(main)

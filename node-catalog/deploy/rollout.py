# --- pipewright deploy/rollout.py: server-side apply of the rendered objects, then following what the controllers do, as PIPEWRIGHT_DEPLOY lines ---
import json
import os
import sys
import time

DEPLOY_PREFIX = "PIPEWRIGHT_DEPLOY "
APPLIED_PREFIX = "PIPEWRIGHT_APPLIED "


def emit_deploy(state):
    """One PIPEWRIGHT_DEPLOY line: what the node shows live (shared/runs parses it)."""
    sys.stdout.write(DEPLOY_PREFIX + json.dumps({k: v for k, v in state.items() if v is not None}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit_applied(file, doc, namespace, applied):
    """One PIPEWRIGHT_APPLIED line per object applied: the run panel shows a cluster run's manifests from them."""
    record = {"file": file, "kind": doc["kind"], "name": doc["metadata"]["name"], "namespace": namespace,
              "generation": ((applied or {}).get("metadata") or {}).get("generation"), "yaml": to_yaml(doc)}
    sys.stdout.write(APPLIED_PREFIX + json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def deployment_state(obj):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    want = int(spec.get("replicas", 1))
    ready, updated = int(status.get("readyReplicas") or 0), int(status.get("updatedReplicas") or 0)
    observed = int(status.get("observedGeneration") or 0) >= int(obj["metadata"].get("generation") or 0)
    state = {"kind": "Deployment", "name": obj["metadata"]["name"], "replicas": want, "ready": ready, "updated": updated}
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Progressing" and cond.get("status") == "False":
            state.update(phase="Failed", message="%s: %s" % (cond.get("reason"), cond.get("message")))
            return state
    done = observed and updated >= want and ready >= want and int(status.get("availableReplicas") or 0) >= want
    state["phase"] = "Healthy" if done else "Progressing"
    return state


def rollout_state(client, namespace, obj):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    steps = ((spec.get("strategy") or {}).get("canary") or {}).get("steps") or []
    index = status.get("currentStepIndex")
    index = len(steps) if index is None else int(index)
    weight = 100 if index >= len(steps) else 0
    for step in steps[:index + 1] if index < len(steps) else []:
        if "setWeight" in step:
            weight = step["setWeight"]
    paused = [c.get("reason") for c in status.get("pauseConditions") or []]
    state = {"kind": "Rollout", "name": obj["metadata"]["name"], "phase": status.get("phase") or "Progressing", "step": min(index, len(steps)),
             "steps": len(steps), "weight": weight, "paused": ",".join(paused) or None, "replicas": int(spec.get("replicas", 1)),
             "ready": int(status.get("readyReplicas") or 0), "message": status.get("message") or None}
    background = (status.get("canary") or {}).get("currentBackgroundAnalysisRunStatus") or {}
    if background.get("name"):
        state.update(analysis=background.get("status"), analysis_run=background["name"])
        run = client.try_get("AnalysisRun", namespace, background["name"])
        for metric in ((run or {}).get("status") or {}).get("metricResults") or []:
            last = (metric.get("measurements") or [{}])[-1]
            state.update(analysis_metric=metric.get("name"), analysis_value=last.get("value"), measurements=int(metric.get("count") or 0),
                         failed_measurements=int(metric.get("failed") or 0), inconclusive_measurements=int(metric.get("inconclusive") or 0))
            if metric.get("message"):
                state["analysis_message"] = metric["message"]
    observed = str(status.get("observedGeneration") or "") == str(obj["metadata"].get("generation") or "")
    if status.get("abort") or state["phase"] == "Degraded":
        state["failure"] = status.get("message") or "the rollout was aborted"
    elif "InconclusiveAnalysis" in paused:
        state["failure"] = "the success-rate analysis was inconclusive (no data from %s?)%s" % (
            state.get("analysis_run") or "the analysis", ": " + state["analysis_message"] if state.get("analysis_message") else "")
    elif observed and state["phase"] == "Healthy" and index >= len(steps) and status.get("stableRS") and status.get("stableRS") == status.get("currentPodHash"):
        state["done"] = True
    return state


def follow(client, namespace, kind, name, timeout, poll):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        obj = client.get(kind, namespace, name)
        state = rollout_state(client, namespace, obj) if kind == "Rollout" else deployment_state(obj)
        if kind == "Deployment":
            if state["phase"] == "Failed":
                state["failure"] = state["message"]
            elif state["phase"] == "Healthy":
                state["done"] = True
        shown = {k: v for k, v in state.items() if k not in ("done", "failure")}
        if shown != last:
            emit_deploy(shown)
            last = shown
        if state.get("done"):
            return state
        if state.get("failure"):
            if kind == "Rollout" and not (obj.get("status") or {}).get("abort"):
                client.abort_rollout(namespace, name)
                emit_deploy(dict(shown, phase="Aborted"))
            raise StepError("rollout of %s/%s failed: %s" % (namespace, name, state["failure"]))
        if time.monotonic() > deadline:
            if kind == "Rollout":
                client.abort_rollout(namespace, name)
                emit_deploy(dict(shown, phase="Aborted", message="timed out"))
            raise StepError("rollout of %s/%s timed out after %ss at %s; %s" % (
                namespace, name, int(timeout), "step %s/%s, weight %s %%" % (state["step"], state["steps"], state["weight"]) if kind == "Rollout"
                else "%s/%s replicas ready" % (state["ready"], state["replicas"]), "aborted" if kind == "Rollout" else "not rolled back"))
        time.sleep(poll)


APPLY_ORDER = ("service.yaml", "analysis-template.yaml", "deployment.yaml", "rollout.yaml")


def apply_and_follow(client, docs, params, name):
    namespace = params["namespace"]
    for file in APPLY_ORDER:
        if file in docs:
            applied = client.apply(docs[file], namespace)
            emit_applied(file, docs[file], namespace, applied)
            say("applied %s %s/%s (server-side apply, field manager %s, generation %s)" % (
                docs[file]["kind"], namespace, name if file != "analysis-template.yaml" else docs[file]["metadata"]["name"], FIELD_MANAGER,
                ((applied or {}).get("metadata") or {}).get("generation")))
    poll = float(os.environ.get("PIPEWRIGHT_DEPLOY_POLL_SECONDS") or 5)
    kind = "Rollout" if params["canary"] else "Deployment"
    state = follow(client, namespace, kind, name, parse_duration(params["timeout"], "--timeout"), poll)
    service = client.try_get("Service", namespace, name) or {}
    ingress = (((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or [{}])[0]
    address = ingress.get("ip") or ingress.get("hostname")
    return state, ("http://%s:%s/v1" % (address, params["service_port"]) if address else None)

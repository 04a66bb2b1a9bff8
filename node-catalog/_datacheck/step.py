#!/usr/bin/env python3
"""Pipewright data check: the first and last steps of a schedule that runs "when the data changes".

`check` fingerprints the pipeline's dataset inputs as the app's local trigger does (a file's SHA-256, a
folder's over each file's relative path and SHA-256; s3://, minio:// and gs:// prefixes by their objects'
ETags), compares them with what the last successful run recorded in a ConfigMap, and writes `changed`
(true/false), a one-line `message` and the fingerprints for `record`. `record` runs only after the pipeline
succeeded and writes the fingerprints into the ConfigMap, so a failed run never becomes the baseline.
Only the standard library is needed: S3 is listed with ListObjectsV2 signed (SigV4) with AWS_ACCESS_KEY_ID
and AWS_SECRET_ACCESS_KEY, else through boto3 when the image has it (instance roles, IRSA), else with temporary keys it gets
itself (IRSA's web identity token at STS, the container credentials endpoint of EKS Pod Identity or ECS); GCS through its
JSON API with GOOGLE_OAUTH_ACCESS_TOKEN, else a token from the GKE/GCE metadata server.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kube.py
# pipewright:include object_stores.py
# pipewright:include fingerprints.py

import argparse
import base64
import datetime
import json

KUBE_KINDS["ConfigMap"] = ("/api/v1", "configmaps")


def kube_client():
    try:
        client = KubeClient.in_cluster()
    except StepError as exc:
        # kube.py words this for the deploy step; the data check's templates ask for the token themselves.
        raise StepError(str(exc).replace("the deploy step's pod", "the data-check pod"), exc.code)
    if client is None:
        raise StepError("not in a pod: no Kubernetes API to keep the last successful run's data fingerprints in (KUBERNETES_SERVICE_HOST is not set)")
    return client


def rbac_hint(exc, namespace, verbs):
    if exc.status != 403:
        return str(exc)
    return ("%s\nThe workflow's service account may not %s ConfigMaps in %s: apply the Role and RoleBinding "
            "`pipewright schedule --when-data-changes --out DIR` writes to DIR/data-check-rbac.yaml" % (exc, "/".join(verbs), namespace))


def decode_b64_json(text, what):
    try:
        return json.loads(base64.b64decode(text.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError) as exc:
        raise StepError("%s is not base64 JSON: %s" % (what, exc), EXIT_USAGE)


def write_text(path, text):
    ensure_dir(os.path.dirname(path) or ".")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

def check(args):
    inputs = decode_b64_json(args.inputs, "--inputs")
    env = dict(os.environ)
    now = [fingerprint(item, env) for item in inputs]
    client = kube_client()
    try:
        cm = client.try_get("ConfigMap", args.namespace, args.configmap)
    except KubeError as exc:
        raise StepError("cannot read ConfigMap %s/%s: %s" % (args.namespace, args.configmap, rbac_hint(exc, args.namespace, ["get"])))
    data = (cm or {}).get("data") or {}
    if "fingerprints" in data:
        try:
            before = json.loads(data["fingerprints"])
        except ValueError:
            before = None
            warn("ConfigMap %s/%s holds no readable fingerprints; the run goes ahead" % (args.namespace, args.configmap))
    else:
        before = None
    for f in now:
        say("data-check: %s %s: %s" % (f["nodeId"], f.get("uri") or f["param"], f.get("sha256") or "not checked (%s)" % f.get("unavailable")))
    if before is None:
        changed, message = True, "runs: no successful run of schedule %s recorded its data yet (ConfigMap %s)" % (args.schedule, args.configmap)
    else:
        changes = data_changes(before, now)
        since = "run %s at %s" % (data.get("run") or "?", data.get("recordedAt") or "?")
        if changes:
            changed, message = True, "runs: data changed since the last successful %s: %s" % (since, "; ".join(changes))
        else:
            changed, message = False, "skipped: data unchanged since the last successful %s" % since
    say("data-check: " + message)
    emit_info(data_changed=changed, data_check=message)
    write_text(args.out_changed, "true" if changed else "false")
    write_text(args.out_message, message)
    write_text(args.out_fingerprints, base64.b64encode(json.dumps(compact(now), sort_keys=True, ensure_ascii=False).encode("utf-8")).decode("ascii"))


def record(args):
    fingerprints = decode_b64_json(args.fingerprints, "--fingerprints")
    client = kube_client()
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": args.configmap,
            "namespace": args.namespace,
            "labels": {"pipewright.dev/pipeline": args.pipeline, "pipewright.dev/schedule": args.schedule, "app.kubernetes.io/managed-by": "pipewright"},
        },
        "data": {
            "fingerprints": json.dumps(fingerprints, sort_keys=True, ensure_ascii=False),
            "run": args.run,
            "recordedAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    }
    path = client.path("ConfigMap", args.namespace)
    try:
        existing = client.try_get("ConfigMap", args.namespace, args.configmap)
        if existing is None:
            client.request("POST", path, body)
        else:
            body["metadata"]["resourceVersion"] = existing["metadata"].get("resourceVersion")
            client.request("PUT", client.path("ConfigMap", args.namespace, args.configmap), body)
    except KubeError as exc:
        raise StepError("cannot record the data fingerprints in ConfigMap %s/%s: %s" % (args.namespace, args.configmap, rbac_hint(exc, args.namespace, ["get", "create", "update"])))
    say("data-check: recorded the data of successful run %s in ConfigMap %s/%s (%d input(s))" % (args.run, args.namespace, args.configmap, len(fingerprints)))


def fingerprint_only(args):
    """Prints the fingerprints (and, given --before, what changed) as JSON; nothing is read from or written to the cluster."""
    now = [fingerprint(item, dict(os.environ)) for item in decode_b64_json(args.inputs, "--inputs")]
    out = {"fingerprints": now}
    if args.before:
        out["changes"] = data_changes(decode_b64_json(args.before, "--before"), now)
    say(json.dumps(out, sort_keys=True, ensure_ascii=False))


def _pod_namespace():
    try:
        with open("/var/run/secrets/kubernetes.io/serviceaccount/namespace", encoding="utf-8") as f:
            return f.read().strip() or None
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser(prog="pipewright-data-check", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("fingerprint")
    p.add_argument("--inputs", required=True)
    p.add_argument("--before")
    for mode in ("check", "record"):
        p = sub.add_parser(mode)
        # Argo passes it; on KFP the pod's own namespace (the run's) comes from the downward API.
        p.add_argument("--namespace", default=os.environ.get("PIPEWRIGHT_NAMESPACE") or _pod_namespace())
        p.add_argument("--configmap", required=True)
        p.add_argument("--schedule", required=True)
        p.add_argument("--pipeline", required=True)
        if mode == "check":
            p.add_argument("--inputs", required=True, help="base64 JSON list of {nodeId, param, uri, unavailable}")
            p.add_argument("--out-changed", required=True)
            p.add_argument("--out-message", required=True)
            p.add_argument("--out-fingerprints", required=True)
        else:
            p.add_argument("--fingerprints", required=True, help="base64 JSON, as check wrote it")
            p.add_argument("--run", required=True)
    args = parser.parse_args()
    if args.mode in ("check", "record") and not args.namespace:
        sys.stderr.write("error: no --namespace given, PIPEWRIGHT_NAMESPACE is not set and the pod has no service account namespace file\n")
        sys.exit(EXIT_USAGE)
    try:
        {"check": check, "record": record, "fingerprint": fingerprint_only}[args.mode](args)
    except StepError as exc:
        sys.stderr.write("error: %s\n" % exc)
        sys.exit(exc.code)


if __name__ == "__main__":
    main()

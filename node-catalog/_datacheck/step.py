#!/usr/bin/env python3
"""Pipewright data check: the first and last steps of a schedule that runs "when the data changes".

`check` fingerprints the pipeline's dataset inputs as the app's local trigger does (a file's SHA-256, a
folder's over each file's relative path and SHA-256; s3://, minio:// and gs:// prefixes by their objects'
ETags), compares them with what the last successful run recorded in a ConfigMap, and writes `changed`
(true/false), a one-line `message` and the fingerprints for `record`. `record` runs only after the pipeline
succeeded and writes the fingerprints into the ConfigMap, so a failed run never becomes the baseline.
Only the standard library is needed: S3 is listed with ListObjectsV2 signed (SigV4) with AWS_ACCESS_KEY_ID
and AWS_SECRET_ACCESS_KEY, else through boto3 when the image has it (instance roles, IRSA); GCS through its
JSON API with GOOGLE_OAUTH_ACCESS_TOKEN, else a token from the GKE/GCE metadata server.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kube.py

import argparse
import base64
import datetime
import hashlib
import hmac
import urllib.parse

KUBE_KINDS["ConfigMap"] = ("/api/v1", "configmaps")
MAX_FILES = 20000
# The fingerprints reach RecordData as one argument (Linux: at most 128 KiB) and live in a ConfigMap (1 MiB):
# object lists that would pass this are dropped (the hashes still compare; only the per-object detail is lost).
MAX_OBJECT_BYTES = 64 * 1024


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _list_files(folder, out):
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if len(out) > MAX_FILES:
            return
        if entry.is_dir(follow_symlinks=False):
            _list_files(entry.path, out)
        elif entry.is_file(follow_symlinks=False):
            out.append(entry.path)


def hash_path(target):
    """As inputHashes.ts hashPath: sha256 and bytes, or why not."""
    if not os.path.exists(target):
        return {"unavailable": "not found in the data-check pod"}
    if os.path.isfile(target):
        size = os.path.getsize(target)
        if size > MAX_HASH_BYTES:
            return {"bytes": size, "unavailable": "larger than 2 GiB, not hashed"}
        return {"sha256": _sha256_file(target), "bytes": size}
    files = []
    _list_files(target, files)
    if len(files) > MAX_FILES:
        return {"unavailable": "more than %d files, not hashed" % MAX_FILES}
    # JavaScript's sort (UTF-16 code units) on the full paths, as the app does.
    files.sort(key=lambda f: f.encode("utf-16-be"))
    total = sum(os.path.getsize(f) for f in files)
    if total > MAX_HASH_BYTES:
        return {"bytes": total, "files": len(files), "unavailable": "larger than 2 GiB, not hashed"}
    h = hashlib.sha256()
    for f in files:
        rel = os.path.relpath(f, target).replace(os.sep, "/")
        h.update(("%s\0%s\n" % (rel, _sha256_file(f))).encode("utf-8"))
    return {"sha256": h.hexdigest(), "bytes": total, "files": len(files)}


def _aws_encode(text, keep_slash=False):
    return urllib.parse.quote(text, safe="/-_.~" if keep_slash else "-_.~")


def _xml_values(xml, tag):
    import re

    return re.findall(r"<%s>([\s\S]*?)</%s>" % (tag, tag), xml)


def _unescape_xml(s):
    return s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _http_get(url, headers, what):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        detail = (_xml_values(body, "Message") or [body[:160]])[0]
        raise StepError("%s answered %s: %s" % (what, exc.code, detail), EXIT_INPUT)
    except (urllib.error.URLError, OSError) as exc:
        raise StepError("%s: %s" % (what, getattr(exc, "reason", exc)), EXIT_INPUT)


def list_s3_signed(bucket, prefix, env):
    """ListObjectsV2, path-style, signed with AWS Signature Version 4 (the app's objectStores.ts listS3)."""
    key_id, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    endpoint = (env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or "https://s3.%s.amazonaws.com" % region).rstrip("/")
    out, token = [], None
    for _ in range(1000):
        query = {"list-type": "2"}
        if prefix:
            query["prefix"] = prefix
        if token:
            query["continuation-token"] = token
        path = "/" + _aws_encode(bucket)
        canonical_query = "&".join("%s=%s" % (_aws_encode(k), _aws_encode(v)) for k, v in sorted(query.items()))
        parsed = urllib.parse.urlparse(endpoint)
        host = parsed.netloc
        amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        payload = _sha256_hex(b"")
        headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
        if env.get("AWS_SESSION_TOKEN"):
            headers["x-amz-security-token"] = env["AWS_SESSION_TOKEN"]
        names = sorted(headers)
        canonical = "\n".join(["GET", parsed.path.rstrip("/") + path, canonical_query, "".join("%s:%s\n" % (n, headers[n].strip()) for n in names), ";".join(names), payload])
        scope = "%s/%s/s3/aws4_request" % (amz_date[:8], region)
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, _sha256_hex(canonical.encode("utf-8"))])
        key = ("AWS4" + secret).encode("utf-8")
        for part in (amz_date[:8], region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        sent = {k: v for k, v in headers.items() if k != "host"}
        sent["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (key_id, scope, ";".join(names), signature)
        url = "%s%s?%s" % (endpoint, path, canonical_query)
        text = _http_get(url, sent, "listing s3://%s/%s at %s" % (bucket, prefix, endpoint))
        for block in _xml_values(text, "Contents"):
            out.append({
                "key": _unescape_xml((_xml_values(block, "Key") or [""])[0]),
                "etag": _unescape_xml((_xml_values(block, "ETag") or [""])[0]),
                "size": int((_xml_values(block, "Size") or ["0"])[0]),
            })
        truncated = (_xml_values(text, "IsTruncated") or ["false"])[0] == "true"
        token = _unescape_xml((_xml_values(text, "NextContinuationToken") or [""])[0]) if truncated else None
        if not token:
            break
    return out


def list_s3_boto3(bucket, prefix, env):
    boto3 = require("boto3", "pip install boto3", "listing s3:// without AWS_ACCESS_KEY_ID")
    client = boto3.client("s3", endpoint_url=env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None)
    out = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out.append({"key": o["Key"], "etag": o["ETag"], "size": int(o.get("Size", 0))})
    return out


def _gcs_token(env):
    if env.get("GOOGLE_OAUTH_ACCESS_TOKEN"):
        return env["GOOGLE_OAUTH_ACCESS_TOKEN"]
    if env.get("STORAGE_EMULATOR_HOST"):
        return None
    url = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"
    try:
        text = _http_get(url, {"Metadata-Flavor": "Google"}, "the GCE metadata server")
    except StepError as exc:
        raise StepError("GOOGLE_OAUTH_ACCESS_TOKEN is not set and no token came from the metadata server (%s), so the bucket cannot be listed" % exc, EXIT_INPUT)
    return json.loads(text)["access_token"]


def list_gcs(bucket, prefix, env):
    base = (env.get("STORAGE_EMULATOR_HOST") or "https://storage.googleapis.com").rstrip("/")
    token = _gcs_token(env)
    out, page_token = [], None
    for _ in range(1000):
        query = {"fields": "items(name,etag,size),nextPageToken"}
        if prefix:
            query["prefix"] = prefix
        if page_token:
            query["pageToken"] = page_token
        url = "%s/storage/v1/b/%s/o?%s" % (base, urllib.parse.quote(bucket, safe=""), urllib.parse.urlencode(query))
        text = _http_get(url, {"authorization": "Bearer " + token} if token else {}, "listing gs://%s/%s" % (bucket, prefix))
        body = json.loads(text)
        for item in body.get("items") or []:
            out.append({"key": item["name"], "etag": item["etag"], "size": int(item.get("size") or 0)})
        page_token = body.get("nextPageToken")
        if not page_token:
            break
    return out


def list_object_store(uri, env):
    scheme, rest = uri.split("://", 1)
    bucket, _, prefix = rest.partition("/")
    if scheme == "gs":
        objects = list_gcs(bucket, prefix, env)
    elif env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        objects = list_s3_signed(bucket, prefix, env)
    elif is_importable("boto3"):
        objects = list_s3_boto3(bucket, prefix, env)
    else:
        raise StepError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (and boto3 is not in the image), so the bucket cannot be listed", EXIT_INPUT)
    # Sorted by UTF-16 code units, as the app sorts keys.
    return sorted(objects, key=lambda o: o["key"].encode("utf-16-be"))


def fingerprint(item, env):
    """One input's fingerprint, as electron/services/schedules/dataChange.ts fingerprintData makes it."""
    out = {"nodeId": item["nodeId"], "param": item["param"]}
    if item.get("uri") is not None:
        out["uri"] = item["uri"]
    if item.get("unavailable"):
        out["unavailable"] = item["unavailable"]
        return out
    uri = item["uri"].strip()
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    try:
        if scheme in ("s3", "minio", "gs"):
            objects = list_object_store(uri, env)
            h = hashlib.sha256()
            for o in objects:
                h.update(("%s\0%s\n" % (o["key"], o["etag"])).encode("utf-8"))
            out.update(sha256=h.hexdigest(), bytes=sum(o["size"] for o in objects), objects=dict((o["key"], o["etag"]) for o in objects))
        elif scheme == "sample":
            folder = os.environ.get("PIPEWRIGHT_SAMPLES_DIR") or ""
            out.update(hash_path(os.path.join(folder, uri[len("sample://"):])) if folder else {"unavailable": "no such bundled sample"})
        elif scheme == "file":
            out.update(hash_path(urllib.parse.unquote(urllib.parse.urlparse(uri).path)))
        elif scheme:
            out["unavailable"] = "remote (%s), read by the step" % scheme
        elif os.path.isabs(uri):
            out.update(hash_path(uri))
        else:
            out["unavailable"] = "not a path on this machine"
    except StepError as exc:
        out["unavailable"] = str(exc)
    except Exception as exc:  # noqa: BLE001 - an input that cannot be read counts as changed, with why
        out["unavailable"] = "unreadable: %s" % exc
    return out


def _names(keys):
    return ", ".join(keys) if len(keys) <= 3 else "%s and %d more" % (", ".join(keys[:3]), len(keys) - 3)


def data_changes(before, now):
    """What changed, one sentence per input (dataChange.ts dataChanges); empty when nothing did."""
    key = lambda f: (f["nodeId"], f["param"])  # noqa: E731
    old = dict((key(f), f) for f in before)
    out = []
    for f in now:
        where = 'node "%s" (%s)' % (f["nodeId"], f.get("uri") or f["param"])
        prev = old.pop(key(f), None)
        if f.get("sha256") is None:
            out.append("%s: cannot be checked: %s" % (where, f.get("unavailable") or "no fingerprint"))
        elif prev is None:
            out.append("%s: new input" % where)
        elif prev.get("uri") != f.get("uri"):
            out.append("%s: now reads %s (was %s)" % (where, f.get("uri"), prev.get("uri") or "nothing"))
        elif prev.get("sha256") is None:
            out.append("%s: the last successful run has no fingerprint of it to compare with (%s)" % (where, prev.get("unavailable") or "none kept"))
        elif prev["sha256"] == f["sha256"]:
            continue
        elif prev.get("objects") is not None and f.get("objects") is not None:
            po, fo = prev["objects"], f["objects"]
            added = [k for k in fo if k not in po]
            removed = [k for k in po if k not in fo]
            changed = [k for k in fo if k in po and po[k] != fo[k]]
            parts = [p for p in ["%d changed (%s)" % (len(changed), _names(changed)) if changed else "", "%d added (%s)" % (len(added), _names(added)) if added else "", "%d removed (%s)" % (len(removed), _names(removed)) if removed else ""] if p]
            out.append("%s: objects %s" % (where, ", ".join(parts)))
        else:
            size = ", %s \u2192 %s bytes" % (prev["bytes"], f["bytes"]) if prev.get("bytes") is not None and f.get("bytes") is not None and prev["bytes"] != f["bytes"] else ""
            out.append("%s: content changed (sha256 %s \u2192 %s%s)" % (where, prev["sha256"][:12], f["sha256"][:12], size))
    for gone in old.values():
        out.append('node "%s" (%s): no longer an input' % (gone["nodeId"], gone.get("uri") or gone["param"]))
    return out


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


def compact(fingerprints):
    """The fingerprints to keep: object lists dropped once they pass MAX_OBJECT_BYTES (hashes stay)."""
    text = json.dumps(fingerprints, sort_keys=True, ensure_ascii=False)
    if len(text.encode("utf-8")) <= MAX_OBJECT_BYTES:
        return fingerprints
    return [dict((k, v) for k, v in f.items() if k != "objects") for f in fingerprints]


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


def main():
    parser = argparse.ArgumentParser(prog="pipewright-data-check", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("fingerprint")
    p.add_argument("--inputs", required=True)
    p.add_argument("--before")
    for mode in ("check", "record"):
        p = sub.add_parser(mode)
        p.add_argument("--namespace", required=True)
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
    try:
        {"check": check, "record": record, "fingerprint": fingerprint_only}[args.mode](args)
    except StepError as exc:
        sys.stderr.write("error: %s\n" % exc)
        sys.exit(exc.code)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Pipewright step `dataset`: fetch a corpus or instruction set into --out-dataset.

URIs: a local file or directory (relative to the working directory), sample://NAME (from
$PIPEWRIGHT_SAMPLES_DIR, else ./samples), http(s)://, s3:// (boto3) and gs:// (google-cloud-storage).
Parquet is converted to JSONL (pyarrow), so later steps need nothing beyond the standard library.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/data.py

import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request

PARAMS = [
    Param("uri", "string", None, "Where the data is: s3://, gs://, https:// or a path.", required=True),
    Param("format", "enum", "jsonl", "File format of the data.", choices=["jsonl", "text", "parquet"]),
]
OUTPUTS = [Port("dataset", "dataset", help="the fetched data files")]
EXTENSIONS = {"jsonl": (".jsonl", ".json"), "text": (".txt", ".text"), "parquet": (".parquet",)}


def fetch_local(path, staging):
    if not os.path.exists(path):
        raise StepError("dataset not found: %s" % path, EXIT_INPUT)
    if os.path.isdir(path):
        return [os.path.join(root, n) for root, _, names in os.walk(path) for n in sorted(names)]
    return [path]


def fetch_http(uri, staging):
    name = os.path.basename(urllib.parse.urlparse(uri).path) or "data"
    target = os.path.join(staging, name)
    try:
        with urllib.request.urlopen(uri, timeout=60) as response, open(target, "wb") as f:
            shutil.copyfileobj(response, f)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StepError("cannot fetch %s: %s" % (uri, getattr(exc, "reason", exc)), EXIT_INPUT)
    return [target]


def fetch_s3(uri, staging):
    boto3 = require("boto3", "pip install boto3", "reading s3:// URIs")
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    client = boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None)
    keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix) for o in page.get("Contents", [])]
    keys = [k for k in keys if not k.endswith("/")]
    if not keys:
        raise StepError("nothing found at %s" % uri, EXIT_INPUT)
    files = []
    for key in keys:
        target = os.path.join(staging, key[len(prefix):].lstrip("/") or os.path.basename(key))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        client.download_file(bucket, key, target)
        files.append(target)
    return files


def fetch_gs(uri, staging):
    storage = require("google.cloud.storage", "pip install google-cloud-storage", "reading gs:// URIs")
    bucket_name, _, prefix = uri[len("gs://"):].partition("/")
    blobs = [b for b in storage.Client().list_blobs(bucket_name, prefix=prefix) if not b.name.endswith("/")]
    if not blobs:
        raise StepError("nothing found at %s" % uri, EXIT_INPUT)
    files = []
    for blob in blobs:
        target = os.path.join(staging, blob.name[len(prefix):].lstrip("/") or os.path.basename(blob.name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        blob.download_to_filename(target)
        files.append(target)
    return files


def resolve_sample(uri):
    name = uri[len("sample://"):]
    if not name or "/" in name or name.startswith("."):
        raise StepError("bad sample URI %r: expected sample://NAME" % uri, EXIT_USAGE)
    base = os.environ.get("PIPEWRIGHT_SAMPLES_DIR") or "samples"
    return os.path.join(base, name)


def fetch(uri, staging):
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme == "sample":
        return fetch_local(resolve_sample(uri), staging)
    if scheme in ("http", "https"):
        return fetch_http(uri, staging)
    if scheme == "s3":
        return fetch_s3(uri, staging)
    if scheme == "gs":
        return fetch_gs(uri, staging)
    if scheme in ("", "file"):
        return fetch_local(uri[len("file://"):] if scheme == "file" else uri, staging)
    raise StepError("unsupported URI scheme %r in %s (use a path, sample://, http(s)://, s3:// or gs://)" % (scheme, uri), EXIT_USAGE)


def store(files, fmt, out_dir):
    """Copy the files of the chosen format into out_dir (Parquet as JSONL); returns (files, records)."""
    wanted = EXTENSIONS[fmt]
    if len(files) > 1:
        files = [f for f in files if f.lower().endswith(wanted)]
        if not files:
            raise StepError("no %s files (%s) found at the URI" % (fmt, ", ".join(wanted)), EXIT_INPUT)
    written, records, used = [], 0, set()
    for source in files:
        stem = os.path.splitext(os.path.basename(source))[0] or "data"
        while stem in used:
            stem += "_"
        used.add(stem)
        if fmt == "parquet":
            target = os.path.join(out_dir, stem + ".jsonl")
            with open(target, "w", encoding="utf-8") as f:
                for row in read_file_records(source, fmt="parquet"):
                    f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                    records += 1
        else:
            target = os.path.join(out_dir, stem + (".jsonl" if fmt == "jsonl" else ".txt"))
            records += sum(1 for _ in read_file_records(source, fmt=fmt))
            shutil.copyfile(source, target)
        written.append(target)
    return written, records


def main():
    args = parse_step_args(__doc__, PARAMS, outputs=OUTPUTS)
    uri, fmt = args.params["uri"], args.params["format"]
    out_dir = ensure_dir(args.outputs["dataset"])
    staging = tempfile.mkdtemp(prefix="pipewright-dataset-")
    try:
        files, records = store(fetch(uri, staging), fmt, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(os.path.getsize(f) for f in files)
    emit_metric(0, records=records, files=len(files), bytes=size)
    emit_info(uri=uri, format=fmt, files=[os.path.basename(f) for f in files])
    say("dataset: %d records in %d file(s) from %s -> %s" % (records, len(files), uri, out_dir))


if __name__ == "__main__":
    run_step(main)

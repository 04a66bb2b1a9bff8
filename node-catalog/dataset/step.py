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
# pipewright:include ../_lib/fetch.py

import shutil
import tempfile

PARAMS = [
    Param("uri", "string", None, "Where the data is: s3://, gs://, https:// or a path.", required=True),
    Param("format", "enum", "jsonl", "File format of the data.", choices=["jsonl", "text", "parquet"]),
]
OUTPUTS = [Port("dataset", "dataset", help="the fetched data files")]
EXTENSIONS = {"jsonl": (".jsonl", ".json"), "text": (".txt", ".text"), "parquet": (".parquet",)}


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

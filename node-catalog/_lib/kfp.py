# --- pipewright _lib/kfp.py: Kubeflow Pipelines v2 executor input and output ---
import json
import math
import os

# Where KFP's launcher mounts remote artifact URIs inside the container.
_KFP_MOUNTS = (("gs://", "/gcs/"), ("s3://", "/s3/"), ("minio://", "/minio/"))


def kfp_local_path(uri):
    for prefix, mount in _KFP_MOUNTS:
        if uri.startswith(prefix):
            return mount + uri[len(prefix):]
    return uri


def _runtime_artifact(executor_input, side, name):
    if not executor_input:
        return None
    entry = executor_input.get(side, {}).get("artifacts", {}).get(name, {})
    items = entry.get("artifacts") or []
    return items[0] if items else None


def kfp_artifact_path(executor_input, side, name):
    """The local path of a KFP input or output artifact, when the executor input names it."""
    artifact = _runtime_artifact(executor_input, side, name)
    if artifact is None or not artifact.get("uri"):
        return None
    return kfp_local_path(artifact["uri"])


def kfp_artifact_uri(executor_input, side, name):
    artifact = _runtime_artifact(executor_input, side, name)
    return artifact.get("uri") if artifact else None


def write_kfp_metrics(executor_input, output_name, metrics):
    """Write KFP's executor output so the scalar metrics of the system.Metrics output show in the KFP UI.

    The launcher reads `outputs.outputFile` (an ExecutorOutput message in JSON) and merges each
    artifact's `metadata` into the output artifact it records; the UI lists numeric metadata as metrics.
    """
    if not executor_input:
        return None
    outputs = executor_input.get("outputs", {})
    path = outputs.get("outputFile")
    if not path:
        raise StepError("--executor-input has no outputs.outputFile to write KFP's executor output to", EXIT_USAGE)
    artifact = _runtime_artifact(executor_input, "outputs", output_name) or {}
    scalars = {}
    for key, value in metrics.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            scalars[key] = float(value)
    runtime = {"name": artifact.get("name", ""), "uri": artifact.get("uri", ""), "metadata": scalars}
    if not runtime["uri"]:
        del runtime["uri"]
    document = {"artifacts": {output_name: {"artifacts": [runtime]}}}
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f)
    return path


def write_metrics_outputs(args, out_dir, document, scalars):
    """An evaluation's results: metrics.json in its metrics output, a copy at --metrics-file (DVC's metrics file)
    when given, and the scalars as KFP's system.Metrics output when KFP runs the step."""
    write_json(os.path.join(out_dir, "metrics.json"), document)
    if args.extra.get("metrics_file"):
        os.makedirs(os.path.dirname(args.extra["metrics_file"]) or ".", exist_ok=True)
        write_json(args.extra["metrics_file"], document)
    written = write_kfp_metrics(args.executor_input, "metrics", scalars)
    if written:
        say("KFP executor output: %s" % written)

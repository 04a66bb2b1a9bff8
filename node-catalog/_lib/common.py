# --- pipewright _lib/common.py: exit codes, errors, log-line reporting ---
import json
import math
import os
import sys
import traceback

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_MISSING_LIBRARY = 4

METRIC_PREFIX = "PIPEWRIGHT_METRIC "
PROGRESS_PREFIX = "PIPEWRIGHT_PROGRESS "
INFO_PREFIX = "PIPEWRIGHT_INFO "


class StepError(Exception):
    """An error the user can fix; `code` is the process exit status."""

    def __init__(self, message, code=EXIT_FAILED):
        super().__init__(message)
        self.code = code


def _clean(value):
    # JSON has no NaN or Infinity: a diverging loss is written as the string "NaN", "Infinity" or "-Infinity".
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    return value


def _emit(prefix, record):
    if os.environ.get("RANK", "0").strip() not in ("", "0"):
        return  # with one process per GPU, rank 0 alone reports
    push_record(prefix, record)
    record = {k: _clean(v) for k, v in record.items() if v is not None}
    sys.stdout.write(prefix + json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def emit_metric(step, **values):
    """One metric record: `step` plus named values."""
    _emit(METRIC_PREFIX, dict(step=int(step), **values))


def emit_progress(current, total, label):
    _emit(PROGRESS_PREFIX, {"current": int(current), "total": int(total), "label": label})


def emit_info(**values):
    _emit(INFO_PREFIX, values)


def warn(message):
    sys.stderr.write("warning: " + message + "\n")
    sys.stderr.flush()


def say(message):
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def require(module, install, purpose):
    """Import `module` or stop with exit 4, naming the package and the command that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise StepError(
            "%s needs the Python package '%s', which is not installed (%s); install it with: %s"
            % (purpose, module.split(".")[0], exc, install),
            EXIT_MISSING_LIBRARY,
        )


def is_importable(module):
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def ensure_dir(path):
    os.makedirs(path, exist_ok=True)
    return path


def parse_params_text(text):
    """A params file's content: YAML through PyYAML when the image has it (DVC's params.yaml), else JSON (the app writes JSON)."""
    if is_importable("yaml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)


def params_file_settings(path):
    """The `_pipewright` section of a params file, where DVC targets and local runs carry the pipeline's settings
    (MLflow, Pushgateway); {} without one, or when the file cannot be read (args.py reports a broken params file)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = parse_params_text(f.read())
    except Exception:  # noqa: BLE001 - JSON and YAML raise different types; here it only means no settings
        return {}
    section = data.get("_pipewright") if isinstance(data, dict) else None
    return section if isinstance(section, dict) else {}


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def text_lines(path):
    """(line number from 1, the line without its ending) of each non-blank line of a UTF-8 file (a BOM is skipped)."""
    try:
        f = open(path, encoding="utf-8-sig")
    except OSError as exc:
        raise StepError("cannot read %s: %s" % (path, exc), EXIT_INPUT)
    with f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.strip():
                yield number, line


def json_lines(path):
    """(line number, value) of each non-blank line of a JSON Lines file; a line that is not JSON stops the step naming file and line."""
    for number, line in text_lines(path):
        try:
            value = json.loads(line)
        except ValueError as exc:
            raise StepError("%s:%d: not valid JSON (%s)" % (path, number, exc), EXIT_INPUT)
        yield number, value


def read_json_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise StepError("cannot read %s: %s" % (path, exc), EXIT_INPUT)
    except ValueError as exc:
        raise StepError("%s is not valid JSON: %s" % (path, exc), EXIT_INPUT)


# Output ports and their paths, once the step's arguments are parsed: hashed when the step succeeds.
STEP_OUTPUTS = {}
# Outputs over this size are named, not hashed (as the app's input hashes), so a step never spends minutes on it.
MAX_HASH_BYTES = 2 * 1024 ** 3


def _sha256_file(path):
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def content_hash(path):
    """(sha256 hex or None, bytes): a file's SHA-256, or a folder's over each file's relative path, a NUL and its
    SHA-256, one line each in path order: the hash electron/services/runs/inputHashes.ts takes of inputs."""
    if os.path.isfile(path):
        size = os.path.getsize(path)
        return (_sha256_file(path) if size <= MAX_HASH_BYTES else None), size
    files = []
    for root, _dirs, names in os.walk(path):
        for name in names:
            full = os.path.join(root, name)
            if os.path.isfile(full):
                files.append((os.path.relpath(full, path).replace(os.sep, "/"), full))
    total = sum(os.path.getsize(full) for _, full in files)
    if total > MAX_HASH_BYTES:
        return None, total
    import hashlib

    h = hashlib.sha256()
    # Sorted as JavaScript sorts strings (UTF-16 code units), so both sides hash the same order.
    for rel, full in sorted(files, key=lambda f: f[0].encode("utf-16-be")):
        h.update(("%s\0%s\n" % (rel, _sha256_file(full))).encode("utf-8"))
    return h.hexdigest(), total


def emit_output_hashes():
    """PIPEWRIGHT_INFO output_sha256_<port> / output_bytes_<port> for every output the step wrote: the lineage of
    cluster runs (a local run's outputs are hashed by the app itself)."""
    if os.environ.get("PIPEWRIGHT_LOCAL_RUN") or os.environ.get("RANK", "0").strip() not in ("", "0"):
        return
    values = {}
    for port, path in sorted(STEP_OUTPUTS.items()):
        if not path or not os.path.exists(path):
            continue
        try:
            digest, size = content_hash(path)
        except OSError as exc:
            warn("output %s could not be hashed (%s); the lineage will not know its content" % (port, exc))
            continue
        if digest:
            values["output_sha256_" + port] = digest
        values["output_bytes_" + port] = size
    if values:
        emit_info(**values)


def run_step(main):
    """Run `main()` and turn failures into the contract's exit codes and one `error:` line on stderr."""
    code = 0
    try:
        main()
        emit_output_hashes()
    except StepError as exc:
        sys.stderr.write("error: %s\n" % exc)
        code = exc.code
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        code = 130
    except Exception as exc:  # noqa: BLE001 - the last line must still be one `error:` line
        traceback.print_exc()
        sys.stderr.write("error: %s: %s\n" % (type(exc).__name__, exc))
        code = EXIT_FAILED
    push_finish(code)
    if code:
        sys.exit(code)


# pipewright:include pushgateway.py

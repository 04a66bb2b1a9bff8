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


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")


def read_json_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise StepError("cannot read %s: %s" % (path, exc), EXIT_INPUT)
    except ValueError as exc:
        raise StepError("%s is not valid JSON: %s" % (path, exc), EXIT_INPUT)


def run_step(main):
    """Run `main()` and turn failures into the contract's exit codes and one `error:` line on stderr."""
    code = 0
    try:
        main()
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

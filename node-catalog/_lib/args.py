# --- pipewright _lib/args.py: the step-script argument contract (params, ports, params file, KFP input) ---
import argparse
import json
import os
import sys


class Param:
    """One parameter, mirroring node-catalog/<type>/index.ts (name, type, default, range, enum)."""

    def __init__(self, name, kind, default=None, help="", choices=None, minimum=None, maximum=None, required=False):
        self.name = name
        self.kind = kind
        self.default = default
        self.help = help
        self.choices = choices
        self.minimum = minimum
        self.maximum = maximum
        self.required = required

    def describe(self):
        out = {"name": self.name, "type": self.kind}
        for key, value in (("default", self.default), ("enum", self.choices), ("min", self.minimum), ("max", self.maximum)):
            if value is not None:
                out[key] = value
        if self.required:
            out["required"] = True
        return out


class Port:
    def __init__(self, name, kind, optional=False, help=""):
        self.name = name
        self.kind = kind
        self.optional = optional
        self.help = help


class StepArgs:
    def __init__(self, params, inputs, outputs, executor_input, extra, params_file=None, params_key=None):
        self.params = params
        self.inputs = inputs
        self.outputs = outputs
        self.executor_input = executor_input
        self.extra = extra
        self.params_file = params_file
        self.params_key = params_key


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        sys.stderr.write("error: %s (see --help)\n" % message)
        sys.exit(EXIT_USAGE)


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def coerce(param, value, where):
    """Turn a command-line string or a params-file value into the parameter's type, or fail with exit 2."""

    def bad(expected):
        return StepError("%s: expected %s, got %s" % (where, expected, json.dumps(value, ensure_ascii=False)), EXIT_USAGE)

    kind = param.kind
    if kind in ("string", "enum"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad("a string")
        value = str(value)
        if kind == "enum" and value not in param.choices:
            raise bad("one of " + ", ".join(param.choices))
    elif kind == "boolean":
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            value = value.strip().lower() in _TRUE
        elif not isinstance(value, bool):
            raise bad("true or false")
    elif kind in ("integer", "number"):
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if isinstance(value, str):
            number = _number(value.strip())
        if number is None or number != number:
            raise bad("an integer" if kind == "integer" else "a number")
        if kind == "integer":
            if float(number) != int(number):
                raise bad("an integer")
            number = int(number)
        else:
            number = float(number)
        if param.minimum is not None and number < param.minimum:
            raise StepError("%s: %s is below the minimum %s" % (where, number, param.minimum), EXIT_USAGE)
        if param.maximum is not None and number > param.maximum:
            raise StepError("%s: %s is above the maximum %s" % (where, number, param.maximum), EXIT_USAGE)
        value = number
    elif kind == "string-list":
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    value = json.loads(text)
                except ValueError:
                    raise bad("a JSON array of strings")
            else:
                value = [part.strip() for part in text.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a JSON array of strings")
        if param.choices and any(v not in param.choices for v in value):
            raise bad("a list of " + ", ".join(param.choices))
    return value


def _read_params_file(path, key):
    if not os.path.isfile(path):
        raise StepError("params file not found: %s" % path, EXIT_INPUT)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        data = parse_params_text(text)
    except Exception as exc:  # noqa: BLE001 - JSON and YAML raise different types
        raise StepError("params file %s is not valid JSON or YAML: %s" % (path, exc), EXIT_USAGE)
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            sections = ", ".join(sorted(data)) if isinstance(data, dict) else "none"
            raise StepError("params file %s has no section '%s' (sections: %s)" % (path, key, sections), EXIT_USAGE)
        data = data[key]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise StepError("params file %s: section '%s' is not a mapping of parameter names to values" % (path, key), EXIT_USAGE)
    return data


def _format_default(param):
    return json.dumps(param.default, ensure_ascii=False) if param.default is not None else "none"


def build_parser(description, params, inputs, outputs, extra):
    parser = _Parser(description=description, allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_argument_group("parameters (HF/Unsloth spelling; each value one argument)")
    for p in params:
        detail = p.kind
        if p.choices:
            detail += ": " + "|".join(p.choices)
        if p.minimum is not None or p.maximum is not None:
            detail += ", %s..%s" % ("" if p.minimum is None else p.minimum, "" if p.maximum is None else p.maximum)
        needed = "default: " + _format_default(p) if p.default is not None else ("required" if p.required else "optional")
        group.add_argument("--" + p.name, metavar="VALUE", default=None, help=("%s (%s; %s)" % (p.help, detail, needed)).replace("%", "%%"))
    ports = parser.add_argument_group("artifacts (files or directories)")
    for port in inputs:
        ports.add_argument("--in-" + port.name, metavar="PATH", default=None, help=("input %s: %s%s" % (port.kind, port.help, " (optional)" if port.optional else "")).replace("%", "%%"))
    for port in outputs:
        ports.add_argument("--out-" + port.name, metavar="PATH", default=None, help=("output %s: %s (created as a directory)" % (port.kind, port.help)).replace("%", "%%"))
    run = parser.add_argument_group("run")
    run.add_argument("--params-file", metavar="FILE", help="read parameters from this JSON/YAML file (explicit --<param> wins)")
    run.add_argument("--params-key", metavar="KEY", help="section of the params file (the node id)")
    run.add_argument("--params-binding", metavar="PARAM=KEY", action="append", default=[], help="take PARAM from the params file's top-level KEY (a pipeline parameter); repeatable")
    run.add_argument("--executor-input", metavar="JSON", help="KFP executor input ({{$}}); outputs KFP metadata")
    run.add_argument("--describe", action="store_true", help="print this step's parameters and ports as JSON and exit")
    for flag, options in extra:
        run.add_argument(flag, **options)
    return parser


def parse_step_args(description, params, inputs=(), outputs=(), extra=(), argv=None):
    """Parse argv by the step-script contract; returns StepArgs with typed params and checked paths."""
    parser = build_parser(description, params, inputs, outputs, extra)
    ns = parser.parse_args(argv)
    if ns.describe:
        ports = lambda items: [{"name": p.name, "kind": p.kind, "optional": p.optional} for p in items]
        say(json.dumps({"params": [p.describe() for p in params], "inputs": ports(inputs), "outputs": ports(outputs)}))
        sys.exit(0)
    executor_input = None
    if ns.executor_input:
        try:
            executor_input = json.loads(ns.executor_input)
        except ValueError as exc:
            raise StepError("--executor-input is not valid JSON: %s" % exc, EXIT_USAGE)
    if ns.params_key and not ns.params_file:
        raise StepError("--params-key needs --params-file", EXIT_USAGE)
    by_name = {p.name: p for p in params}
    values = {}
    if ns.params_file:
        section = _read_params_file(ns.params_file, ns.params_key)
        where = "%s[%s]" % (ns.params_file, ns.params_key) if ns.params_key else ns.params_file
        for name, value in section.items():
            if name not in by_name:
                raise StepError("%s: unknown parameter '%s' (known: %s)" % (where, name, ", ".join(sorted(by_name)) or "none"), EXIT_USAGE)
            values[name] = coerce(by_name[name], value, "%s.%s" % (where, name))
    if ns.params_binding and not ns.params_file:
        raise StepError("--params-binding needs --params-file", EXIT_USAGE)
    top = _read_params_file(ns.params_file, None) if ns.params_binding else {}
    for binding in ns.params_binding:
        name, _, key = binding.partition("=")
        if name not in by_name or not key:
            raise StepError("--params-binding %s: expected PARAM=KEY with PARAM one of %s" % (binding, ", ".join(sorted(by_name)) or "none"), EXIT_USAGE)
        if key not in top:
            raise StepError("params file %s has no pipeline parameter '%s' (for %s)" % (ns.params_file, key, name), EXIT_USAGE)
        values[name] = coerce(by_name[name], top[key], "%s.%s" % (ns.params_file, key))
    for p in params:
        raw = getattr(ns, p.name)
        if raw is not None:
            values[p.name] = coerce(p, raw, "--" + p.name)
        elif p.name not in values and p.default is not None:
            values[p.name] = p.default
        if p.required and values.get(p.name) in (None, ""):
            raise StepError("--%s is required (give --%s VALUE or put '%s' in the params file)" % (p.name, p.name, p.name), EXIT_USAGE)
    in_paths = {}
    for port in inputs:
        path = getattr(ns, "in_" + port.name.replace("-", "_")) or kfp_artifact_path(executor_input, "inputs", port.name)
        if path is None and not port.optional:
            raise StepError("--in-%s PATH is required (the %s input)" % (port.name, port.kind), EXIT_USAGE)
        if path is not None and not os.path.exists(path):
            raise StepError("input '%s' not found: %s" % (port.name, path), EXIT_INPUT)
        in_paths[port.name] = path
    out_paths = {}
    for port in outputs:
        path = getattr(ns, "out_" + port.name.replace("-", "_")) or kfp_artifact_path(executor_input, "outputs", port.name)
        if path is None and not port.optional:
            raise StepError("--out-%s PATH is required (the %s output)" % (port.name, port.kind), EXIT_USAGE)
        if path is not None:
            out_paths[port.name] = path
    extra_values = {flag.lstrip("-").replace("-", "_"): getattr(ns, flag.lstrip("-").replace("-", "_")) for flag, _ in extra}
    STEP_OUTPUTS.update(out_paths)
    return StepArgs(values, in_paths, out_paths, executor_input, extra_values, ns.params_file, ns.params_key)

#!/usr/bin/env python3
"""A custom Pipewright step. Edit `run` below; the rest follows the step-script contract.

Pipewright calls this file as
    python3 -u step.py --<param> VALUE ... --in-<port> PATH ... --out-<port> PATH ...
or, in DVC and local runs, with --params-file params.yaml --params-key <node id> instead of the
--<param> arguments. Inputs are files or directories; create each output as a directory.
Print `PIPEWRIGHT_METRIC {"step": N, "name": value}` lines to chart values on the node.
Exit codes: 0 ok, 2 bad arguments, 3 missing input, 1 anything else.
"""
import argparse
import json
import os
import sys


def run(inputs, outputs, params):
    """Your step. Here: count the lines of every input and write a summary to every output."""
    counts = {}
    for port, path in inputs.items():
        files = [path] if os.path.isfile(path) else [os.path.join(d, n) for d, _, names in os.walk(path) for n in sorted(names)]
        counts[port] = sum(sum(1 for _ in open(f, encoding="utf-8", errors="replace")) for f in files)
    for port, path in outputs.items():
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "summary.json"), "w", encoding="utf-8") as f:
            json.dump({"lines": counts, "params": params}, f, ensure_ascii=False, indent=2)
    print("PIPEWRIGHT_METRIC " + json.dumps({"step": 0, "input_lines": sum(counts.values())}), flush=True)


def fail(message, code):
    sys.stderr.write("error: %s\n" % message)
    sys.exit(code)


def parse_args(argv):
    """Split argv into inputs, outputs and params; params from --params-file first, explicit --<param> wins."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    parser.add_argument("--params-file", help="JSON/YAML file of parameters (DVC and local runs)")
    parser.add_argument("--params-key", help="section of the params file: this node's id")
    parser.add_argument("--params-binding", action="append", default=[], help="PARAM=KEY: PARAM from the params file's top-level KEY (a pipeline parameter)")
    parser.add_argument("--executor-input", help="KFP executor input (unused here)")
    known, rest = parser.parse_known_args(argv)
    params = {}
    if known.params_file:
        if not os.path.isfile(known.params_file):
            fail("params file not found: %s" % known.params_file, 3)
        with open(known.params_file, encoding="utf-8") as f:
            data = json.load(f)
        params.update(data.get(known.params_key, {}) if known.params_key else data)
        for binding in known.params_binding:
            name, _, key = binding.partition("=")
            if key not in data:
                fail("params file %s has no pipeline parameter '%s' (for %s)" % (known.params_file, key, name), 2)
            params[name] = data[key]
    rest = [part for arg in rest for part in (arg.split("=", 1) if arg.startswith("--") and "=" in arg else [arg])]
    inputs, outputs = {}, {}
    if len(rest) % 2:
        fail("every --name needs a value: %s" % " ".join(rest), 2)
    for flag, value in zip(rest[::2], rest[1::2]):
        if not flag.startswith("--"):
            fail("unexpected argument %r (expected --name VALUE)" % flag, 2)
        name = flag[2:]
        if name.startswith("in-"):
            inputs[name[3:]] = value
        elif name.startswith("out-"):
            outputs[name[4:]] = value
        else:
            params[name] = value
    for port, path in inputs.items():
        if not os.path.exists(path):
            fail("input '%s' not found: %s" % (port, path), 3)
    return inputs, outputs, params


if __name__ == "__main__":
    run(*parse_args(sys.argv[1:]))

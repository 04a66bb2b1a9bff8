# --- pipewright _lib/yaml.py: a small YAML emitter (block style; strings quoted unless plainly safe) ---
import json
import re

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _scalar(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _lines(value, indent):
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        out = []
        for key, item in value.items():
            head = pad + _scalar(str(key)) + ":"
            if isinstance(item, (dict, list)) and item:
                out.append(head)
                out.extend(_lines(item, indent + (2 if isinstance(item, dict) else 0)))
            else:
                out.append(head + " " + (_lines(item, 0)[0] if isinstance(item, (dict, list)) else _scalar(item)))
        return out
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        out = []
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _lines(item, indent + 2)
                out.append(pad + "- " + inner[0].lstrip())
                out.extend(inner[1:])
            else:
                out.append(pad + "- " + (_lines(item, 0)[0] if isinstance(item, (dict, list)) else _scalar(item)))
        return out
    return [pad + _scalar(value)]


def to_yaml(value):
    return "\n".join(_lines(value, 0)) + "\n"


def to_yaml_documents(values):
    return "---\n".join(to_yaml(v) for v in values)

# --- pipewright _datacheck/fingerprints.py: one input's fingerprint (local file or folder, bundled sample, object store prefix) and what changed between two sets ---
# The same fingerprints and sentences as the app's electron/services/schedules/dataChange.ts (a parity test keeps them equal).
import hashlib
import json
import os
import urllib.parse

MAX_FILES = 20000
# The fingerprints reach RecordData as one argument (Linux: at most 128 KiB) and live in a ConfigMap (1 MiB):
# object lists that would pass this are dropped (the hashes still compare; only the per-object detail is lost).
MAX_OBJECT_BYTES = 64 * 1024


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


def compact(fingerprints):
    """The fingerprints to keep: object lists dropped once they pass MAX_OBJECT_BYTES (hashes stay)."""
    text = json.dumps(fingerprints, sort_keys=True, ensure_ascii=False)
    if len(text.encode("utf-8")) <= MAX_OBJECT_BYTES:
        return fingerprints
    return [dict((k, v) for k, v in f.items() if k != "objects") for f in fingerprints]

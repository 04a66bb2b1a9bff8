# --- pipewright _lib/data.py: reading datasets (JSONL, text, Parquet) and shaping training examples ---
import json
import os

DATA_EXTENSIONS = (".jsonl", ".txt", ".parquet")


def list_data_files(path):
    """A file is itself; a directory is all its *.jsonl / *.txt / *.parquet files, sorted."""
    if os.path.isfile(path):
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith(DATA_EXTENSIONS):
                found.append(os.path.join(root, name))
    if not found:
        raise StepError("no *.jsonl, *.txt or *.parquet files in %s" % path, EXIT_INPUT)
    return found


def sniff_format(path):
    lower = path.lower()
    for ext, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".txt", "text"), (".parquet", "parquet")):
        if lower.endswith(ext):
            return fmt
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"PAR1"):
        return "parquet"
    first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "jsonl" if first == b"{" else "text"


def _read_parquet(path):
    pq = require("pyarrow.parquet", "pip install pyarrow", "reading Parquet (%s)" % path)
    for row in pq.read_table(path).to_pylist():
        yield row


def read_file_records(path, text_key="text", fmt=None):
    """Yield dict records from one file; a text file gives {text_key: line} per non-empty line."""
    for _, record in read_numbered_records(path, text_key, fmt):
        yield record


def read_numbered_records(path, text_key="text", fmt=None):
    """(line number, or row number for Parquet, from 1; record) of each record in one file."""
    fmt = fmt or sniff_format(path)
    if fmt == "parquet":
        for number, row in enumerate(_read_parquet(path), 1):
            yield number, row
        return
    if fmt == "text":
        for number, line in text_lines(path):
            yield number, {text_key: line}
        return
    for number, record in json_lines(path):
        if isinstance(record, str):
            record = {text_key: record}
        if not isinstance(record, dict):
            raise StepError("%s:%d: expected a JSON object per line" % (path, number), EXIT_INPUT)
        yield number, record


def read_located_records(path, text_key="text"):
    """(file, line, record) for every record under path, so a refusal can say where."""
    for file in list_data_files(path):
        for number, record in read_numbered_records(file, text_key):
            yield file, number, record


def found_keys(record):
    return ", ".join(sorted(str(k) for k in record)) or "none"


def read_records(path, text_key="text"):
    for file in list_data_files(path):
        for record in read_file_records(file, text_key):
            yield record


def count_lines(path):
    total = 0
    for file in list_data_files(path):
        if sniff_format(file) == "parquet":
            continue
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                total += chunk.count(b"\n")
    return total


def _user_text(record):
    for key in ("instruction", "question", "prompt", "query"):
        if isinstance(record.get(key), str):
            extra = record.get("input")
            return record[key] + ("\n\n" + extra if isinstance(extra, str) and extra.strip() else "")
    return None


def _answer_text(record):
    for key in ("output", "answer", "response", "completion", "expected"):
        if isinstance(record.get(key), str):
            return record[key]
    return None


_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "model": "assistant", "system": "system"}


def record_messages(record):
    """Chat messages of a record: `messages` / `conversations`, or an instruction/input/output style pair."""
    turns = record.get("messages") or record.get("conversations")
    if isinstance(turns, list) and turns:
        messages = []
        for turn in turns:
            if not isinstance(turn, dict):
                return None
            role = _ROLES.get(str(turn.get("role", turn.get("from", ""))).lower())
            content = turn.get("content", turn.get("value"))
            if role is None or not isinstance(content, str):
                return None
            messages.append({"role": role, "content": content})
        return messages
    user, answer = _user_text(record), _answer_text(record)
    if user is None or answer is None:
        return None
    messages = [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]
    if isinstance(record.get("system"), str) and record["system"].strip():
        messages.insert(0, {"role": "system", "content": record["system"]})
    return messages


def record_text(record):
    """Plain text of a record for continued pretraining."""
    for key in ("text", "content", "document"):
        if isinstance(record.get(key), str):
            return record[key]
    messages = record_messages(record)
    if messages:
        return "\n\n".join(m["content"] for m in messages)
    return "\n".join(v for v in record.values() if isinstance(v, str))

#!/usr/bin/env python3
"""Pipewright step `preprocess`: clean Korean text for training.

Unicode NFC, control and zero-width characters removed, runs of spaces collapsed (blank lines kept
to one), `ㆍ` (and other middle-dot look-alikes) turned into `·`; records whose cleaned text is
shorter than min_chars, or was seen before, are dropped. Writes data.jsonl (the records with the
cleaned text in text_field) and stats.json (counts, and the characters kept) into --out-dataset.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/data.py

import hashlib
import re
import unicodedata

PARAMS = [
    Param("text_field", "string", "text", "JSON field that holds the text.", required=True),
    Param("min_chars", "integer", 10, "Drop records shorter than this.", minimum=0, maximum=1000000),
    Param("dedupe", "boolean", True, "Drop records whose normalised text was seen before."),
    Param("normalize", "boolean", True, "NFC, whitespace and ㆍ→·."),
]
INPUTS = [Port("dataset", "dataset", help="raw JSONL, text or Parquet")]
OUTPUTS = [Port("dataset", "dataset", help="cleaned JSONL (data.jsonl)")]

MIDDLE_DOTS = str.maketrans({"\u318d": "\u00b7", "\u30fb": "\u00b7", "\uff65": "\u00b7", "\u2027": "\u00b7"})
SPACES = re.compile(r"[^\S\n]+")
BLANK_LINES = re.compile(r"\n{3,}")


def normalize_korean(text):
    """NFC; ㆍ→·; control/format characters out; spaces collapsed; at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(MIDDLE_DOTS)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co"))
    text = SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return BLANK_LINES.sub("\n\n", text).strip()


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS)
    p = args.params
    field, source = p["text_field"], args.inputs["dataset"]
    out_dir = ensure_dir(args.outputs["dataset"])
    total = count_lines(source)
    # chars: characters of text kept, which the app's estimate turns into tokens before the next run.
    counts = {"read": 0, "kept": 0, "duplicates": 0, "too_short": 0, "missing_field": 0, "chars": 0}
    seen = set()
    every = max(1, total // 20)
    with open(os.path.join(out_dir, "data.jsonl"), "w", encoding="utf-8") as out:
        for record in read_records(source, text_key=field):
            counts["read"] += 1
            if counts["read"] % every == 0:
                emit_progress(counts["read"], max(total, counts["read"]), "preprocess")
            raw = record.get(field)
            if not isinstance(raw, str):
                counts["missing_field"] += 1
                continue
            clean = normalize_korean(raw)
            if len(clean) < p["min_chars"]:
                counts["too_short"] += 1
                continue
            if p["dedupe"]:
                key = hashlib.sha1(clean.encode("utf-8")).digest()
                if key in seen:
                    counts["duplicates"] += 1
                    continue
                seen.add(key)
            record[field] = clean if p["normalize"] else raw
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts["kept"] += 1
            counts["chars"] += len(record[field])
    if counts["read"] and counts["missing_field"] == counts["read"]:
        raise StepError("no record in %s has a string field '%s' (set text_field)" % (source, field), EXIT_INPUT)
    emit_progress(counts["read"], counts["read"], "preprocess")
    emit_metric(0, **counts)
    write_json(os.path.join(out_dir, "stats.json"), counts)
    say("preprocess: read %(read)d, kept %(kept)d (%(chars)d characters), duplicates %(duplicates)d, too short %(too_short)d, missing field %(missing_field)d" % counts)


if __name__ == "__main__":
    run_step(main)

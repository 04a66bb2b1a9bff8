# --- pipewright _lib/fetch.py: files at a URI (path, sample://, http(s)://, s3://, gs://) brought to this machine ---
import json
import os
import shutil
import urllib.error
import urllib.parse
import urllib.request

SAMPLE_FOLDER_FORMAT = "pipewright.sample-folder/v1"


def fetch_local(path, staging, what="dataset"):
    if not os.path.exists(path):
        raise StepError("%s not found: %s" % (what, path), EXIT_INPUT)
    if os.path.isdir(path):
        return [os.path.join(root, n) for root, _, names in os.walk(path) for n in sorted(names)]
    return [path]


def fetch_http(uri, staging, what="dataset"):
    name = os.path.basename(urllib.parse.urlparse(uri).path) or "data"
    target = os.path.join(staging, name)
    try:
        with urllib.request.urlopen(uri, timeout=60) as response, open(target, "wb") as f:
            shutil.copyfileobj(response, f)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StepError("cannot fetch %s: %s" % (uri, getattr(exc, "reason", exc)), EXIT_INPUT)
    return [target]


def fetch_s3(uri, staging, what="dataset"):
    """Every object under an s3:// prefix, through boto3's credential chain. The endpoint (AWS_ENDPOINT_URL_S3, else
    AWS_ENDPOINT_URL) and region (AWS_REGION, else AWS_DEFAULT_REGION) are passed, as boto3 before 1.28 reads neither."""
    boto3 = require("boto3", "pip install boto3", "reading s3:// URIs")
    import botocore.exceptions

    bucket, _, prefix = uri[len("s3://"):].partition("/")
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    where = "%s %s%s" % (what, uri, " at %s" % endpoint if endpoint else "")
    files = []
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=region)
        keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix) for o in page.get("Contents", [])]
        keys = [k for k in keys if not k.endswith("/")]
        if not keys:
            raise StepError("nothing found at %s" % uri, EXIT_INPUT)
        for key in keys:
            target = os.path.join(staging, key[len(prefix):].lstrip("/") or os.path.basename(key))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            client.download_file(bucket, key, target)
            files.append(target)
    except botocore.exceptions.NoCredentialsError:
        raise StepError("%s: boto3 found no credentials (AWS_ACCESS_KEY_ID, a credentials file, a web identity token, "
                        "the container credentials endpoint or an instance role)" % where, EXIT_INPUT)
    except botocore.exceptions.ClientError as exc:
        err = exc.response.get("Error") or {}
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        raise StepError("%s: S3 answered %s: %s" % (where, status or err.get("Code"), err.get("Message") or err.get("Code") or exc), EXIT_INPUT)
    except botocore.exceptions.BotoCoreError as exc:
        raise StepError("%s: %s" % (where, exc), EXIT_INPUT)
    return files


def fetch_gs(uri, staging, what="dataset"):
    storage = require("google.cloud.storage", "pip install google-cloud-storage", "reading gs:// URIs")
    bucket_name, _, prefix = uri[len("gs://"):].partition("/")
    blobs = [b for b in storage.Client().list_blobs(bucket_name, prefix=prefix) if not b.name.endswith("/")]
    if not blobs:
        raise StepError("nothing found at %s" % uri, EXIT_INPUT)
    files = []
    for blob in blobs:
        target = os.path.join(staging, blob.name[len(prefix):].lstrip("/") or os.path.basename(blob.name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        blob.download_to_filename(target)
        files.append(target)
    return files


def resolve_sample(uri):
    name = uri[len("sample://"):]
    if not name or "/" in name or name.startswith("."):
        raise StepError("bad sample URI %r: expected sample://NAME" % uri, EXIT_USAGE)
    base = os.environ.get("PIPEWRIGHT_SAMPLES_DIR") or "samples"
    return os.path.join(base, name)


def uri_scheme(uri):
    return uri.split("://", 1)[0].lower() if "://" in uri else ""


def fetch(uri, staging, what="dataset"):
    """The files at uri, as local paths (remote ones downloaded into staging, keeping their relative paths)."""
    scheme = uri_scheme(uri)
    if scheme == "sample":
        return fetch_local(resolve_sample(uri), staging, what)
    if scheme in ("http", "https"):
        return fetch_http(uri, staging, what)
    if scheme == "s3":
        return fetch_s3(uri, staging, what)
    if scheme == "gs":
        return fetch_gs(uri, staging, what)
    if scheme in ("", "file"):
        return fetch_local(uri[len("file://"):] if scheme == "file" else uri, staging, what)
    raise StepError("unsupported URI scheme %r in %s (use a path, sample://, http(s)://, s3:// or gs://)" % (scheme, uri), EXIT_USAGE)


def read_sample_folder(path):
    """The files of a packed sample folder (relative path -> text), or None when path is not one."""
    try:
        with open(path, encoding="utf-8") as f:
            head = f.read(200)
            if SAMPLE_FOLDER_FORMAT not in head:
                return None
            document = json.loads(head + f.read())
    except (OSError, ValueError):
        return None
    files = document.get("files") if isinstance(document, dict) else None
    return files if isinstance(files, dict) else None


def fetch_folder(uri, staging, what):
    """A local folder holding what uri names: a folder as it is, s3:// and gs:// prefixes downloaded, a packed sample folder unpacked."""
    scheme = uri_scheme(uri)
    if scheme in ("http", "https"):
        raise StepError("%s %s: a folder cannot be read over %s; use a path, s3://, gs:// or sample://" % (what, uri, scheme), EXIT_USAGE)
    if scheme in ("", "file"):
        path = uri[len("file://"):] if scheme == "file" else uri
    elif scheme == "sample":
        path = resolve_sample(uri)
    else:
        fetch(uri, staging, what)
        return staging
    if os.path.isdir(path):
        return path
    if not os.path.exists(path):
        raise StepError("%s not found: %s" % (what, path), EXIT_INPUT)
    files = read_sample_folder(path)
    if files is None:
        raise StepError("%s %s is a file; expected a folder (or a packed sample folder)" % (what, path), EXIT_INPUT)
    for name, text in files.items():
        target = os.path.normpath(os.path.join(staging, name))
        if not target.startswith(os.path.normpath(staging) + os.sep):
            raise StepError("%s %s: packed file name %r leaves its folder" % (what, path, name), EXIT_INPUT)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return staging

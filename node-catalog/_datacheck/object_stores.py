# --- pipewright _datacheck/object_stores.py: the objects under an s3://, minio:// or gs:// prefix (key, ETag, size) ---
# S3: ListObjectsV2 signed with AWS Signature Version 4 (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), else boto3 when the
# image has it (credentials file, IRSA, EKS Pod Identity, instance roles). GCS: its JSON API with GOOGLE_OAUTH_ACCESS_TOKEN, else
# the token of the metadata server (GKE Workload Identity; GCE_METADATA_HOST overrides its address, as in google-auth).
import datetime
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def _aws_encode(text, keep_slash=False):
    return urllib.parse.quote(text, safe="/-_.~" if keep_slash else "-_.~")


def _xml_values(xml, tag):
    import re

    return re.findall(r"<%s>([\s\S]*?)</%s>" % (tag, tag), xml)


def _unescape_xml(s):
    return s.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _http_get(url, headers, what):
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        detail = (_xml_values(body, "Message") or [body[:160]])[0]
        raise StepError("%s answered %s: %s" % (what, exc.code, detail), EXIT_INPUT)
    except (urllib.error.URLError, OSError) as exc:
        raise StepError("%s: %s" % (what, getattr(exc, "reason", exc)), EXIT_INPUT)


def list_s3_signed(bucket, prefix, env):
    """ListObjectsV2, path-style, signed with AWS Signature Version 4 (the app's objectStores.ts listS3)."""
    key_id, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    endpoint = (env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or "https://s3.%s.amazonaws.com" % region).rstrip("/")
    out, token = [], None
    for _ in range(1000):
        query = {"list-type": "2"}
        if prefix:
            query["prefix"] = prefix
        if token:
            query["continuation-token"] = token
        path = "/" + _aws_encode(bucket)
        canonical_query = "&".join("%s=%s" % (_aws_encode(k), _aws_encode(v)) for k, v in sorted(query.items()))
        parsed = urllib.parse.urlparse(endpoint)
        host = parsed.netloc
        amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        payload = _sha256_hex(b"")
        headers = {"host": host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
        if env.get("AWS_SESSION_TOKEN"):
            headers["x-amz-security-token"] = env["AWS_SESSION_TOKEN"]
        names = sorted(headers)
        canonical = "\n".join(["GET", parsed.path.rstrip("/") + path, canonical_query, "".join("%s:%s\n" % (n, headers[n].strip()) for n in names), ";".join(names), payload])
        scope = "%s/%s/s3/aws4_request" % (amz_date[:8], region)
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, _sha256_hex(canonical.encode("utf-8"))])
        key = ("AWS4" + secret).encode("utf-8")
        for part in (amz_date[:8], region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        sent = {k: v for k, v in headers.items() if k != "host"}
        sent["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (key_id, scope, ";".join(names), signature)
        url = "%s%s?%s" % (endpoint, path, canonical_query)
        text = _http_get(url, sent, "listing s3://%s/%s at %s" % (bucket, prefix, endpoint))
        for block in _xml_values(text, "Contents"):
            out.append({
                "key": _unescape_xml((_xml_values(block, "Key") or [""])[0]),
                "etag": _unescape_xml((_xml_values(block, "ETag") or [""])[0]),
                "size": int((_xml_values(block, "Size") or ["0"])[0]),
            })
        truncated = (_xml_values(text, "IsTruncated") or ["false"])[0] == "true"
        token = _unescape_xml((_xml_values(text, "NextContinuationToken") or [""])[0]) if truncated else None
        if not token:
            break
    return out


def list_s3_boto3(bucket, prefix, env):
    """ListObjectsV2 through boto3, whose credential chain finds what the pod has without AWS_ACCESS_KEY_ID: a
    credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials), IRSA's web identity token, the container
    credentials endpoint (EKS Pod Identity, ECS), the instance role. The endpoint and region are passed, not left
    to boto3: before boto3 1.28 it reads neither AWS_ENDPOINT_URL(_S3) nor AWS_REGION (only AWS_DEFAULT_REGION)."""
    boto3 = require("boto3", "pip install boto3", "listing s3:// without AWS_ACCESS_KEY_ID")
    import botocore.exceptions

    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or None
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
    where = "listing s3://%s/%s%s" % (bucket, prefix, " at %s" % endpoint.rstrip("/") if endpoint else "")
    out = []
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name=region)
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out.append({"key": o["Key"], "etag": o["ETag"], "size": int(o.get("Size", 0))})
    except botocore.exceptions.NoCredentialsError:
        raise StepError("%s: AWS_ACCESS_KEY_ID is not set and boto3 found no credentials (no credentials file, web identity "
                        "token, container credentials endpoint or instance role)" % where, EXIT_INPUT)
    except botocore.exceptions.ClientError as exc:
        err = exc.response.get("Error") or {}
        status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        raise StepError("%s answered %s: %s" % (where, status or err.get("Code"), err.get("Message") or err.get("Code") or exc), EXIT_INPUT)
    except botocore.exceptions.BotoCoreError as exc:
        raise StepError("%s: %s" % (where, exc), EXIT_INPUT)
    return out


def metadata_host(env):
    """The GCE/GKE metadata server, as google-auth finds it: GCE_METADATA_HOST (host or host:port), else the
    older GCE_METADATA_ROOT, else metadata.google.internal."""
    return env.get("GCE_METADATA_HOST") or env.get("GCE_METADATA_ROOT") or "metadata.google.internal"


# The container-credentials endpoint's addresses an AWS SDK sends its token to over plain HTTP (ECS, EKS Pod Identity).
_CONTAINER_HOSTS = ("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost", "127.0.0.1", "::1")


def container_credentials(env):
    """Temporary credentials from the container-credentials endpoint, as the AWS SDKs get them without boto3 in the
    image: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS) or _FULL_URI (EKS Pod Identity), with the token of
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read each time) or AWS_CONTAINER_AUTHORIZATION_TOKEN. None when not set."""
    if env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        url = "http://169.254.170.2" + env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]
    elif env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        url = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme != "https" and (parsed.scheme != "http" or parsed.hostname not in _CONTAINER_HOSTS):
            raise StepError("AWS_CONTAINER_CREDENTIALS_FULL_URI %s: over plain HTTP only %s may be asked for credentials" % (url, ", ".join(_CONTAINER_HOSTS)), EXIT_INPUT)
    else:
        return None
    token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    if env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
        try:
            with open(env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], encoding="utf-8") as f:
                token = f.read().strip()
        except OSError as exc:
            raise StepError("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %s" % exc, EXIT_INPUT)
    text = _http_get(url, {"Authorization": token} if token else {}, "the container credentials endpoint %s" % url)
    try:
        body = json.loads(text)
        creds = {"AWS_ACCESS_KEY_ID": body["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": body["SecretAccessKey"]}
    except (ValueError, KeyError, TypeError):
        raise StepError("the container credentials endpoint %s answered no AccessKeyId/SecretAccessKey" % url, EXIT_INPUT)
    if body.get("Token"):
        creds["AWS_SESSION_TOKEN"] = body["Token"]
    return dict(env, **creds)


def web_identity_credentials(env):
    """Temporary credentials for IRSA without boto3: STS AssumeRoleWithWebIdentity (an unsigned call) with the token in
    AWS_WEB_IDENTITY_TOKEN_FILE for AWS_ROLE_ARN, at AWS_ENDPOINT_URL_STS (else AWS_ENDPOINT_URL) or the region's STS. None when not set."""
    if not (env.get("AWS_WEB_IDENTITY_TOKEN_FILE") and env.get("AWS_ROLE_ARN")):
        return None
    try:
        with open(env["AWS_WEB_IDENTITY_TOKEN_FILE"], encoding="utf-8") as f:
            token = f.read().strip()
    except OSError as exc:
        raise StepError("AWS_WEB_IDENTITY_TOKEN_FILE: %s" % exc, EXIT_INPUT)
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    endpoint = (env.get("AWS_ENDPOINT_URL_STS") or env.get("AWS_ENDPOINT_URL") or
                ("https://sts.%s.amazonaws.com" % region if region else "https://sts.amazonaws.com")).rstrip("/")
    query = urllib.parse.urlencode({"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": env["AWS_ROLE_ARN"],
                                    "RoleSessionName": env.get("AWS_ROLE_SESSION_NAME") or "pipewright-data-check", "WebIdentityToken": token})
    text = _http_get("%s/?%s" % (endpoint, query), {"Accept": "application/xml"}, "STS AssumeRoleWithWebIdentity for %s at %s" % (env["AWS_ROLE_ARN"], endpoint))
    values = dict((tag, _unescape_xml((_xml_values(text, tag) or [""])[0])) for tag in ("AccessKeyId", "SecretAccessKey", "SessionToken"))
    if not (values["AccessKeyId"] and values["SecretAccessKey"]):
        raise StepError("STS AssumeRoleWithWebIdentity at %s answered no credentials" % endpoint, EXIT_INPUT)
    return dict(env, AWS_ACCESS_KEY_ID=values["AccessKeyId"], AWS_SECRET_ACCESS_KEY=values["SecretAccessKey"], AWS_SESSION_TOKEN=values["SessionToken"])


def _gcs_token(env):
    if env.get("GOOGLE_OAUTH_ACCESS_TOKEN"):
        return env["GOOGLE_OAUTH_ACCESS_TOKEN"]
    # An emulator wants no token, unless a metadata server was named explicitly.
    if env.get("STORAGE_EMULATOR_HOST") and not (env.get("GCE_METADATA_HOST") or env.get("GCE_METADATA_ROOT")):
        return None
    host = metadata_host(env)
    url = "http://%s/computeMetadata/v1/instance/service-accounts/default/token" % host
    try:
        text = _http_get(url, {"Metadata-Flavor": "Google"}, "the metadata server %s" % host)
        token = json.loads(text)["access_token"]
    except StepError as exc:
        raise StepError("GOOGLE_OAUTH_ACCESS_TOKEN is not set and no token came from the metadata server (%s), so the bucket cannot be listed" % exc, EXIT_INPUT)
    except (ValueError, KeyError, TypeError):
        raise StepError("GOOGLE_OAUTH_ACCESS_TOKEN is not set and the metadata server %s answered no access_token, so the bucket cannot be listed" % host, EXIT_INPUT)
    return token


def list_gcs(bucket, prefix, env):
    base = (env.get("STORAGE_EMULATOR_HOST") or "https://storage.googleapis.com").rstrip("/")
    token = _gcs_token(env)
    out, page_token = [], None
    for _ in range(1000):
        query = {"fields": "items(name,etag,size),nextPageToken"}
        if prefix:
            query["prefix"] = prefix
        if page_token:
            query["pageToken"] = page_token
        url = "%s/storage/v1/b/%s/o?%s" % (base, urllib.parse.quote(bucket, safe=""), urllib.parse.urlencode(query))
        text = _http_get(url, {"authorization": "Bearer " + token} if token else {}, "listing gs://%s/%s" % (bucket, prefix))
        body = json.loads(text)
        for item in body.get("items") or []:
            out.append({"key": item["name"], "etag": item["etag"], "size": int(item.get("size") or 0)})
        page_token = body.get("nextPageToken")
        if not page_token:
            break
    return out


def list_object_store(uri, env):
    scheme, rest = uri.split("://", 1)
    bucket, _, prefix = rest.partition("/")
    if scheme == "gs":
        objects = list_gcs(bucket, prefix, env)
    elif env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        objects = list_s3_signed(bucket, prefix, env)
    elif is_importable("boto3"):
        objects = list_s3_boto3(bucket, prefix, env)
    else:
        with_credentials = web_identity_credentials(env) or container_credentials(env)
        if with_credentials is None:
            raise StepError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (and boto3 is not in the image, nor a web identity "
                            "token or container credentials endpoint named), so the bucket cannot be listed", EXIT_INPUT)
        objects = list_s3_signed(bucket, prefix, with_credentials)
    # Sorted by UTF-16 code units, as the app sorts keys.
    return sorted(objects, key=lambda o: o["key"].encode("utf-16-be"))

"""Signed CloudTrail histories written straight into the emulator's S3.

POST /_cle/cloudtrail-history with a JSON spec writes, for each hour, the log
files and the digest CloudTrail would deliver, signed SHA256withRSA the way
CloudTrail signs (CloudTrail User Guide, "CloudTrail digest file structure"),
with real key names: <prefix>/AWSLogs/[<org>/]<account>/CloudTrail[-Digest]/
<region>/YYYY/MM/DD/... Writing in-process keeps a 30-day history (720
digests, thousands of log files) to seconds. The spec:

  bucket, prefix, account, region, trail, org (optional), start (epoch s),
  hours, logs_per_hour, records_per_log (default 1), empty_hours [hour index...], keys [{private (PEM),
  fingerprint, from_hour}], backfill {from_hour, to_hour, generated (epoch s),
  key index} (optional)

Answers {"digests": [...keys], "logs": [...keys]}.
"""
import base64
import gzip
import hashlib
import json
from datetime import datetime, timezone

import rsa
from moto.s3.models import s3_backends

ACCOUNT = "123456789012"


def _iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(t, seconds=True):
    fmt = "%Y%m%dT%H%M%SZ" if seconds else "%Y%m%dT%H%MZ"
    return datetime.fromtimestamp(t, timezone.utc).strftime(fmt)


def _day(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y/%m/%d")


def _put(bucket, key, body, metadata=None):
    backend = s3_backends[ACCOUNT]["aws"]
    obj = backend.put_object(bucket, key, body)
    if metadata:
        obj.set_metadata({f"x-amz-meta-{k}": v for k, v in metadata.items()})


def generate(spec):
    bucket = spec["bucket"]
    account = spec.get("account", ACCOUNT)
    region = spec.get("region", "us-east-1")
    trail = spec["trail"]
    prefix = spec.get("prefix", "")
    root = "/".join(p for p in [prefix, "AWSLogs", spec.get("org"), account] if p)
    keys = sorted(spec["keys"], key=lambda k: k["from_hour"])
    loaded = [(k, rsa.PrivateKey.load_pkcs1(k["private"].encode())) for k in keys]
    empty = set(spec.get("empty_hours", []))
    backfill = spec.get("backfill")
    out = {"digests": [], "logs": []}
    chains = {False: None, True: None}  # the previous digest per chain: (key, raw, signature)

    for h in range(spec["hours"]):
        is_backfill = bool(backfill) and backfill["from_hour"] <= h <= backfill["to_hour"]
        start = spec["start"] + h * 3600
        end = start + 3600
        logs = []
        if h not in empty:
            for i in range(spec.get("logs_per_hour", 3)):
                t = start + 60 + i * (3000 // max(1, spec.get("logs_per_hour", 3)))
                name = f"{account}_CloudTrail_{region}_{_stamp(t, False)}_h{h}n{i}.json.gz"
                key = f"{root}/CloudTrail/{region}/{_day(t)}/{name}"
                records = [{"eventVersion": "1.09", "eventSource": "codeartifact.amazonaws.com", "eventName": "ReadFromRepository", "eventID": f"e-{h}-{i}-{r}", "readOnly": True, "eventTime": _iso(t), "awsRegion": region, "userIdentity": {"type": "AssumedRole", "arn": f"arn:aws:sts::{account}:assumed-role/ci/build-{r}", "accountId": account}, "sourceIPAddress": "203.0.113.7", "userAgent": "npm/10.8.2 node/v20.17.0 linux x64", "requestParameters": {"domain": "acme", "repository": "npm-store", "packageFormat": "npm", "packageName": f"pkg-{r % 97}", "packageVersion": "1.0.0"}, "recipientAccountId": account} for r in range(spec.get("records_per_log", 1))]
                if spec.get("records_per_log", 1) == 1:
                    records = [{"eventVersion": "1.09", "eventSource": "codeartifact.amazonaws.com", "eventName": "ReadFromRepository", "eventID": f"e-{h}-{i}", "readOnly": True}]
                content = json.dumps({"Records": records}).encode()
                _put(bucket, key, gzip.compress(content))
                logs.append({"s3Bucket": bucket, "s3Object": key, "hashValue": hashlib.sha256(content).hexdigest(), "hashAlgorithm": "SHA-256", "newestEventTime": _iso(t), "oldestEventTime": _iso(t)})
                out["logs"].append(key)
        suffix = "_backfill" if is_backfill else ""
        dkey = f"{root}/CloudTrail-Digest/{region}/{_day(end)}/{account}_CloudTrail-Digest_{region}_{trail}_{region}_{_stamp(end)}{suffix}.json.gz"
        key_spec, private = (
            loaded[backfill["key"]] if is_backfill else [kp for kp in loaded if kp[0]["from_hour"] <= h][-1]
        )
        prev = chains[is_backfill]
        doc = {
            "awsAccountId": account,
            "digestStartTime": _iso(start),
            "digestEndTime": _iso(end),
            "digestS3Bucket": bucket,
            "digestS3Object": dkey,
            "digestPublicKeyFingerprint": key_spec["fingerprint"],
            "digestSignatureAlgorithm": "SHA256withRSA",
            "newestEventTime": _iso(end) if logs else None,
            "oldestEventTime": _iso(start) if logs else None,
            "previousDigestS3Bucket": bucket if prev else None,
            "previousDigestS3Object": prev[0] if prev else None,
            "previousDigestHashValue": hashlib.sha256(prev[1]).hexdigest() if prev else None,
            "previousDigestHashAlgorithm": "SHA-256" if prev else None,
            "previousDigestSignature": prev[2] if prev else None,
            "logFiles": logs,
        }
        raw = json.dumps(doc).encode()
        to_sign = f"{doc['digestEndTime']}\n{bucket}/{dkey}\n{hashlib.sha256(raw).hexdigest()}\n{doc['previousDigestSignature'] or 'null'}"
        signature = rsa.sign(to_sign.encode(), private, "SHA-256").hex()
        metadata = {"signature": signature, "signature-algorithm": "SHA256withRSA"}
        if is_backfill:
            metadata["backfill-generation-timestamp"] = _iso(backfill["generated"])
        _put(bucket, dkey, gzip.compress(raw), metadata)
        chains[is_backfill] = (dkey, raw, signature)
        out["digests"].append(dkey)
    return out


def middleware(app):
    """Serves POST /_cle/cloudtrail-history; everything else goes to moto."""

    def handle(environ, start_response):
        if environ.get("PATH_INFO") == "/_cle/cloudtrail-history" and environ.get("REQUEST_METHOD") == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.dumps(generate(json.loads(environ["wsgi.input"].read(length)))).encode()
                start_response("200 OK", [("Content-Type", "application/json")])
            except Exception as e:  # the test sees the reason
                body = json.dumps({"error": repr(e)}).encode()
                start_response("500 Internal Server Error", [("Content-Type", "application/json")])
            return [body]
        return app(environ, start_response)

    return handle

"""Local AWS emulator for the test suite: moto on a free loopback port.

Prints "READY <port>" once serving, and stops when stdin closes or on SIGTERM,
so a crashed test run never leaves the server behind. CLE_PORT picks the port
(default: a free one).

Gaps in moto 5.2.1, patched here so the emulator answers like AWS:
- CloudTrail StartLogging/StopLogging/DeleteTrail only accept a trail *name*;
  the Terraform provider sends the trail ARN, so they resolve names and ARNs
  the way GetTrail already does.
- S3 has no Get/PutBucketRequestPayment (a GET falls through to a listing), so
  a per-bucket payer is kept here, "BucketOwner" by default, as on AWS.
- CloudTrail has no ListPublicKeys: the keys a test makes are served from the
  JSON file named by CLE_CLOUDTRAIL_PUBLIC_KEYS ([{"fingerprint", "value"
  (base64 DER PKCS#1), "start", "end" (epoch seconds)}]), filtered by the
  requested time range like AWS; Value is base64 on the wire, as on AWS.
- POST /_cle/cloudtrail-history writes a signed CloudTrail history straight
  into S3 (cloudtrail_history.py), fast enough for 30 days of digests.
- CLE_LATENCY_MS (or POST /_cle/latency?ms=N) adds that much latency to every
  request, as S3 has over a network (the benchmark compares validators with
  and without it).
- GetTrailStatus has no LatestDigestDeliveryTime: when the file named by
  CLE_CLOUDTRAIL_STATUS holds {"<trail name>": {"LatestDigestDeliveryTime":
  epoch}}, it is added.
- Athena ListTagsForResource answers "Does Not Exist" for a workgroup without
  tags (AWS answers an empty list), which fails every Terraform refresh: a
  workgroup or data catalog that exists now answers {"Tags": []}.
- S3 bucket policies ignore conditions, so a TLS-only Deny (Bool
  aws:SecureTransport "false") refuses every request. With CLE_TLS_PORT set
  (0: a free one), the emulator also serves HTTPS there, with a self-signed
  certificate for 127.0.0.1 written to CLE_TLS_CERT (default: a file in the
  temp folder), and prints "TLS <port> <cert file>" before READY. A request
  over HTTPS is not refused by such a Deny; over HTTP it still is, as on AWS.
- SQS: SetQueueAttributes without Policy drops the queue's policy (AWS keeps
  it); RedriveAllowPolicy is neither kept nor returned (Terraform's
  aws_sqs_queue_redrive_allow_policy then waits forever); RedrivePolicy comes
  back with spaces (AWS: compact JSON), which every plan reports as a change;
  a queue with a customer key still says SqsManagedSseEnabled true. All four
  answer as on AWS here.
- CloudTrail DescribeTrails ignores trailNameList and returns every trail, so
  the Terraform provider fails reading one trail of an account with two
  ("too many results"): the list is honoured here, by name or ARN.

Speed, not behaviour:
- werkzeug's development server closes the connection after every answer
  ("Connection: close"), so each request cost a TCP connection and a thread,
  and then waited 10 ms for stray body bytes before closing. AWS keeps
  connections alive, and so does this server now: the request body is read
  whole before moto sees it (so nothing of it is left to be mistaken for the
  next request), and the 10 ms drain is gone. A client that asks to close
  ("Connection: close", HTTP/1.0) still gets its connection closed.
- moto lists its own package folder (180 stat calls) twice
on every request to route it (list_of_moto_modules); the list never changes
while the server runs, so it is read once. That was 40% of a GetObject.
"""
import json
import os
import signal
import sys
import threading
import time

import functools
import io
import re
import selectors
import types

import moto.backends
from moto.athena.responses import AthenaResponse
from moto.cloudtrail.models import CloudTrailBackend
from moto.cloudtrail.responses import CloudTrailResponse
from moto.s3.models import FakeBucket
from moto.sqs.models import Queue as SqsQueue
from moto.s3.responses import S3Response
from moto.server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
import werkzeug.serving
from werkzeug.serving import WSGIRequestHandler, make_server

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cloudtrail_history  # noqa: E402


_list_of_moto_modules = moto.backends.list_of_moto_modules
moto.backends.list_of_moto_modules = functools.lru_cache(maxsize=1)(lambda: tuple(_list_of_moto_modules()))
_backend_for_host = DomainDispatcherApplication.get_backend_for_host


def _backend_for_host_kept(self, host):
    kept = self.__dict__.setdefault("_cle_backend_for_host", {})
    if host not in kept:
        if len(kept) > 10_000:
            kept.clear()
        kept[host] = _backend_for_host(self, host)
    return kept[host]


DomainDispatcherApplication.get_backend_for_host = _backend_for_host_kept


def _start_logging(self, name):
    self.get_trail(name).start_logging()


def _stop_logging(self, name):
    self.get_trail(name).stop_logging()


def _delete_trail(self, name):
    for key, trail in list(self.trails.items()):
        if name in (key, trail.arn):
            del self.trails[key]


CloudTrailBackend.start_logging = _start_logging
CloudTrailBackend.stop_logging = _stop_logging
CloudTrailBackend.delete_trail = _delete_trail

_PAYERS = {}
_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
_original_get = S3Response._bucket_response_get
_original_put = S3Response._bucket_response_put


def _bucket_response_get(self, bucket_name, querystring):
    if "requestPayment" in querystring:
        self.backend.get_bucket(bucket_name)  # NoSuchBucket like AWS
        payer = _PAYERS.get(bucket_name, "BucketOwner")
        body = f'<RequestPaymentConfiguration xmlns="{_S3_NS}"><Payer>{payer}</Payer></RequestPaymentConfiguration>'
        return 200, {"Content-Type": "application/xml"}, body
    return _original_get(self, bucket_name, querystring)


def _bucket_response_put(self, request, bucket_name, querystring):
    if "requestPayment" in querystring:
        self.backend.get_bucket(bucket_name)
        body = self.body.decode() if isinstance(self.body, bytes) else self.body
        match = re.search(r"<Payer>(\w+)</Payer>", body or "")
        _PAYERS[bucket_name] = match.group(1) if match else "BucketOwner"
        return 200, {}, ""
    return _original_put(self, request, bucket_name, querystring)


S3Response._bucket_response_get = _bucket_response_get


def _read_json(env):
    path = os.environ.get(env)
    if not path or not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _list_public_keys(self):
    keys = _read_json("CLE_CLOUDTRAIL_PUBLIC_KEYS") or []
    start = self._get_param("StartTime")
    end = self._get_param("EndTime")
    now = time.time()
    start = float(start) if start is not None else now
    end = float(end) if end is not None else now
    # A key is listed when its validity overlaps the requested range.
    listed = [k for k in keys if k["start"] <= end and k["end"] >= start]
    return json.dumps({
        "PublicKeyList": [
            {"Value": k["value"], "ValidityStartTime": k["start"], "ValidityEndTime": k["end"], "Fingerprint": k["fingerprint"]}
            for k in listed
        ]
    })


CloudTrailResponse.list_public_keys = _list_public_keys
_original_status = CloudTrailResponse.get_trail_status


def _get_trail_status(self):
    body = json.loads(_original_status(self))
    name = self._get_param("Name").split("/")[-1]
    extra = (_read_json("CLE_CLOUDTRAIL_STATUS") or {}).get(name)
    if extra:
        body.update(extra)
    return json.dumps(body)


CloudTrailResponse.get_trail_status = _get_trail_status
S3Response._bucket_response_put = _bucket_response_put


_LATENCY = {"seconds": float(os.environ.get("CLE_LATENCY_MS", "0")) / 1000}


_REQUEST = threading.local()


def _insecure_only(statement):
    """A Deny that applies only to requests without TLS (the TLS-only statement)."""
    cond = statement.get("Condition") or {}
    if statement.get("Effect") != "Deny" or list(cond) != ["Bool"]:
        return False
    keys = {k.lower(): v for k, v in cond["Bool"].items()}
    value = keys.get("aws:securetransport")
    return list(keys) == ["aws:securetransport"] and str(value[0] if isinstance(value, list) else value).lower() == "false"


_get_permission = FakeBucket.get_permission


def _get_permission_tls_aware(self, action, resource):
    if self.policy is None or not getattr(_REQUEST, "secure", False):
        return _get_permission(self, action, resource)
    from moto.iam.access_control import IAMPolicy, PermissionResult

    policy = json.loads(self.policy.decode())
    statements = policy.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    kept = [st for st in statements if not _insecure_only(st)]
    if not kept:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**policy, "Statement": kept})).is_action_permitted(action, resource)


FakeBucket.get_permission = _get_permission_tls_aware


def _with_latency(app):
    """Every request waits first, like S3's first-byte latency (sleeping releases the GIL).
    POST /_cle/latency?ms=N changes it while the server runs."""

    def handle(environ, start_response):
        _REQUEST.secure = environ.get("wsgi.url_scheme") == "https"
        if environ.get("PATH_INFO") == "/_cle/latency" and environ.get("REQUEST_METHOD") == "POST":
            query = dict(p.split("=", 1) for p in environ.get("QUERY_STRING", "").split("&") if "=" in p)
            _LATENCY["seconds"] = float(query.get("ms", "0")) / 1000
            start_response("204 No Content", [])
            return [b""]
        if _LATENCY["seconds"] > 0:
            time.sleep(_LATENCY["seconds"])
        return app(environ, start_response)

    return handle


_athena_list_tags = AthenaResponse.list_tags_for_resource


def _athena_list_tags_for_resource(self):
    arn = self._get_param("ResourceARN") or ""
    m = re.match(r"^arn:[^:]+:athena:[^:]+:\d{12}:(workgroup|datacatalog)/(.+)$", arn)
    backend = self.athena_backend
    if m and not backend.tagger.has_tags(arn):
        kind, name = m.groups()
        known = name in backend.work_groups if kind == "workgroup" else name in backend.data_catalogs
        if known:
            return json.dumps({"Tags": []})
    return _athena_list_tags(self)


AthenaResponse.list_tags_for_resource = _athena_list_tags_for_resource


_ct_describe_trails = CloudTrailResponse.describe_trails


def _describe_trails_by_name(self):
    wanted = self._get_param("trailNameList") or []
    if not wanted:
        return _ct_describe_trails(self)
    body = json.loads(_ct_describe_trails(self))
    names = {w.split("/")[-1] for w in wanted} | set(wanted)
    body["trailList"] = [t for t in body["trailList"] if t.get("Name") in names or t.get("TrailARN") in names]
    return json.dumps(body)


CloudTrailResponse.describe_trails = _describe_trails_by_name

_sqs_set_attributes = SqsQueue._set_attributes
_sqs_attributes = SqsQueue.attributes


def _sqs_set_attributes_as_aws(self, attributes, now=None):
    attributes = dict(attributes)
    redrive_allow = attributes.pop("RedriveAllowPolicy", None)
    kept = getattr(self, "_policy_json", None) if "Policy" not in attributes else None
    _sqs_set_attributes(self, attributes, now)
    if kept is not None:
        self._policy_json = kept
    if redrive_allow is not None:
        self.redrive_allow_policy = redrive_allow or None


def _sqs_attributes_as_aws(self):
    result = dict(_sqs_attributes.fget(self))
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy, separators=(",", ":"))
    if self.redrive_allow_policy:
        result["RedriveAllowPolicy"] = self.redrive_allow_policy
    else:
        result.pop("RedriveAllowPolicy", None)
    if self.kms_master_key_id:
        result["SqsManagedSseEnabled"] = "false"
    return result


SqsQueue.redrive_allow_policy = None
SqsQueue.BASE_ATTRIBUTES = [*SqsQueue.BASE_ATTRIBUTES, "RedriveAllowPolicy"]
SqsQueue._set_attributes = _sqs_set_attributes_as_aws
SqsQueue.attributes = property(_sqs_attributes_as_aws)


class _NoDrainSelector:
    """werkzeug's drain after each answer: it waits 10 ms for bytes and would read the next
    request of a kept-alive connection; the body has been read whole already (_whole_body)."""

    def register(self, *_):
        pass

    def select(self, timeout=None):
        return []

    def close(self):
        pass


werkzeug.serving.selectors = types.SimpleNamespace(DefaultSelector=_NoDrainSelector, EVENT_READ=selectors.EVENT_READ)


class _KeepAliveHandler(WSGIRequestHandler):
    """Keeps HTTP/1.1 connections open between requests, as AWS does."""

    def log_request(self, code="-", size="-"):
        pass  # errors are still logged (log_error)

    # An idle kept-alive connection is closed after this long (its thread ends).
    timeout = 120
    # Headers and body go out in separate writes: with Nagle's algorithm the body then waits for
    # the client's delayed ACK (40 ms a request) on a connection that stays open.
    disable_nagle_algorithm = True

    def send_header(self, keyword, value):
        if keyword.lower() == "connection" and value.lower() == "close" and not self.close_connection:
            return  # werkzeug's unconditional close; a client that asked for it is already closing
        super().send_header(keyword, value)


def _whole_body(app):
    """Reads the request body to its end before the app runs, so a kept-alive connection is
    positioned at the next request whatever the app left unread."""

    def handle(environ, start_response):
        stream = environ.get("wsgi.input")
        length = environ.get("CONTENT_LENGTH")
        if environ.get("wsgi.input_terminated"):
            environ["wsgi.input"] = io.BytesIO(stream.read())
        elif length and length.isdigit() and stream is not None:
            body = stream.read(int(length))
            environ["wsgi.input"] = io.BytesIO(body)
        else:
            environ["wsgi.input"] = io.BytesIO(b"")
        return app(environ, start_response)

    return handle


def _app():
    # Test-only routes (signed CloudTrail histories) in front of moto's dispatcher.
    return _whole_body(_with_latency(cloudtrail_history.middleware(DomainDispatcherApplication(create_backend_app))))


def _self_signed(cert_path):
    """A certificate and key for 127.0.0.1 and localhost, valid for a day."""
    import datetime
    import ipaddress
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloudsmith-log-export emulator")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    key_file = tempfile.NamedTemporaryFile(suffix=".key", delete=False)
    key_file.write(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.close()
    return cert_path, key_file.name


def _start_tls(port, cert_path):
    cert, key = _self_signed(cert_path)
    server = make_server("127.0.0.1", port, _app(), True, request_handler=_KeepAliveHandler, ssl_context=(cert, key))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.unlink(key)  # loaded: the key file is not needed any more
    return server


def _server_entry(self):
    app = _app()
    self._server = make_server(self._ip_address, self._port, app, True, request_handler=_KeepAliveHandler)
    self._server_ready_event.set()
    self._server.serve_forever()


ThreadedMotoServer._server_entry = _server_entry


def main():
    # CLE_PORT: a fixed port for trying the tool by hand (the README's walk-through); tests use a free one.
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(os.environ.get("CLE_PORT", "0")), verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    tls = None
    if os.environ.get("CLE_TLS_PORT") is not None:
        import tempfile

        cert_path = os.environ.get("CLE_TLS_CERT") or os.path.join(
            tempfile.gettempdir(), "cloudsmith-log-export-emulator.pem"
        )
        tls = _start_tls(int(os.environ["CLE_TLS_PORT"]), cert_path)
        print(f"TLS {tls.server_port} {cert_path}", flush=True)
    print(f"READY {port}", flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    if tls is not None:
        tls.shutdown()
    server.stop()


if __name__ == "__main__":
    main()

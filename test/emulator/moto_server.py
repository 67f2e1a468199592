"""Local AWS emulator for the test suite: moto on a free loopback port.

Prints "READY <port>" once serving, and stops when stdin closes or on SIGTERM,
so a crashed test run never leaves the server behind.

Gaps in moto 5.2.1, patched here so the emulator answers like AWS:
- CloudTrail StartLogging/StopLogging/DeleteTrail only accept a trail *name*;
  the Terraform provider sends the trail ARN, so they resolve names and ARNs
  the way GetTrail already does.
- S3 has no Get/PutBucketRequestPayment (a GET falls through to a listing), so
  a per-bucket payer is kept here, "BucketOwner" by default, as on AWS.
"""
import signal
import sys
import threading

import re

from moto.cloudtrail.models import CloudTrailBackend
from moto.s3.responses import S3Response
from moto.server import ThreadedMotoServer


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
S3Response._bucket_response_put = _bucket_response_put


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"READY {port}", flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait()
    server.stop()


if __name__ == "__main__":
    main()

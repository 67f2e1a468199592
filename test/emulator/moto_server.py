"""Local AWS emulator for the test suite: moto on a free loopback port.

Prints "READY <port>" once serving, and stops when stdin closes or on SIGTERM,
so a crashed test run never leaves the server behind.

moto 5.2.1's CloudTrail StartLogging/StopLogging/DeleteTrail only accept a
trail *name*; the Terraform provider sends the trail ARN, so those three are
patched to resolve names and ARNs the way GetTrail already does.
"""
import signal
import sys
import threading

from moto.cloudtrail.models import CloudTrailBackend
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

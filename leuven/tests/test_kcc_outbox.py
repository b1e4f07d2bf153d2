import datetime as dt
import http.server
import json
import threading

import pytest

from leuven.kcc import outbox

NOW = dt.datetime(2026, 11, 25, 12, 0)


def test_backoff_grows_then_gives_up():
    delays = [
        (outbox.next_attempt(NOW, n) - NOW).total_seconds()
        for n in range(1, outbox.MAX_ATTEMPTS)
    ]
    assert delays == sorted(delays)
    assert delays[0] == 60
    assert outbox.next_attempt(NOW, outbox.MAX_ATTEMPTS) is None
    assert outbox.next_attempt(NOW, 0) == NOW


@pytest.mark.parametrize(
    "status,expected",
    [
        (200, (True, False)),
        (202, (True, False)),
        (500, (False, True)),
        (503, (False, True)),
        (429, (False, True)),
        (400, (False, False)),
        (401, (False, False)),
        (404, (False, False)),
    ],
)
def test_classify(status, expected):
    assert outbox.classify(status) == expected


class _Handler(http.server.BaseHTTPRequestHandler):
    received = []
    keys = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Handler.received.append((self.headers.get("Authorization"), json.loads(body)))
        _Handler.keys.append(self.headers.get("Idempotency-Key"))
        self.send_response(_Handler.status)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    srv = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    _Handler.received.clear()
    _Handler.keys.clear()
    yield f"http://127.0.0.1:{srv.server_port}/orders"
    srv.shutdown()
    srv.server_close()


def test_post_json_delivers_with_token(server):
    _Handler.status = 201
    result = outbox.post_json(server, {"id": 1}, token="s3cret")
    assert result.ok and result.status == 201
    assert _Handler.received == [("Bearer s3cret", {"id": 1})]


def test_post_json_delivers_with_basic_authentication(server):
    _Handler.status = 200
    result = outbox.post_json(server, {"id": 5}, basic=("kcc", "pa:ss"))
    assert result.ok
    # base64 of "kcc:pa:ss"
    assert _Handler.received == [("Basic a2NjOnBhOnNz", {"id": 5})]


def test_server_error_is_retried(server):
    _Handler.status = 503
    result = outbox.post_json(server, {"id": 2})
    assert (result.ok, result.retry, result.status) == (False, True, 503)


def test_unreachable_endpoint_is_retried():
    result = outbox.post_json("http://127.0.0.1:9/never", {"id": 3}, timeout=(0.5, 0.5))
    assert (result.ok, result.retry) == (False, True)


def test_every_attempt_carries_the_same_idempotency_key(server):
    _Handler.status = 503
    outbox.post_json(server, {"id": 4}, idempotency_key="dosis:KCC/2026/000001:1")
    _Handler.status = 200
    outbox.post_json(server, {"id": 4}, idempotency_key="dosis:KCC/2026/000001:1")
    assert _Handler.keys == ["dosis:KCC/2026/000001:1"] * 2

"""What the loopback stand-ins share: a threaded HTTP server on 127.0.0.1
and a request handler that answers JSON."""

import http.server
import json
import threading


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """A request handler answering JSON bodies, quietly."""

    content_type = "application/json"

    def _send(self, status, body, content_type=None):
        data = json.dumps(body, ensure_ascii=False).encode()
        self._raw(status, data, content_type or self.content_type)

    def _raw(self, status, data, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)

    def log_message(self, *args):
        pass


class LoopbackServer:
    """Serves a handler class on a loopback port in a daemon thread; ``port``
    0 takes a free one."""

    _server = None

    def _serve(self, handler, port=0):
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

"""A real local HTTP server that speaks the OpenAI chat-completions API, for the AI tier tests."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ChatServer:
    """Serves POST /v1/chat/completions; `mode` picks valid, invalid, slow or error replies."""

    def __init__(self) -> None:
        self.mode = "valid"
        self.content = "{}"
        self.delay_s = 6.0
        self.bodies: list[bytes] = []
        self.released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def calls(self) -> int:
        return len(self.bodies)

    def start(self) -> ChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found"}})
                    return
                server.bodies.append(body)
                if server.mode == "error":
                    self._send(500, {"error": {"message": "boom", "type": "server_error"}})
                    return
                if server.mode == "slow":
                    server.released.wait(server.delay_s)
                content = server.content if server.mode == "valid" else "this is not json {"
                model = json.loads(body).get("model", "test-model")
                self._send(200, completion(content, model))

            def _send(self, status: int, document: dict[str, object]) -> None:
                payload = json.dumps(document).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the budget test does this on purpose)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def completion(content: str, model: str) -> dict[str, object]:
    return {
        "id": "chatcmpl-local",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }

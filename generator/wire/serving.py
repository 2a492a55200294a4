"""A tool's HTTP server on a background thread (the mock, the proxy): bound at once, so a busy port is
a clear error; started, and stopped as a context manager."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Self

from generator.errors import SpecError


class BackgroundServer:
    """`with Server(...).start() as server: ... server.url`; subclasses add what their tool needs."""

    def __init__(self, bind: Callable[[], ThreadingHTTPServer], host: str, port: int, name: str) -> None:
        try:
            self._httpd = bind()
        except OSError as error:
            raise SpecError.at(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

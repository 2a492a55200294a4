"""Cache: where sdkgen keeps what a later run can reuse, and how an entry is written."""

from __future__ import annotations

import marshal
import os
import struct
import zlib
from pathlib import Path


def cache_root() -> Path:
    """`$SDKGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/sdkgen`, else `~/.cache/sdkgen`."""
    root = (
        os.environ.get("SDKGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    return Path(root) / "sdkgen"


def store(path: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all (a temporary file, then a rename), so a reader never
    sees half of one; a cache that cannot be written (read-only, full) only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass


class Table:
    """A str -> str table kept in one file from run to run, for entries whose key names their value
    (a hash of what produced it), so an entry never changes, it only falls out of use.

    A run that adds a few entries appends them as one record (a big table is not rewritten for a
    one-schema edit); the file is rewritten with only the entries in use once more than a quarter of
    it is out of use, or when a record is damaged. Each record carries its length and a CRC-32: a torn
    or interleaved append is dropped when read, never taken for entries.
    """

    _HEAD = struct.Struct("<II")  # the record's length and the CRC-32 of its bytes

    def __init__(self, path: Path | None, kind: bytes) -> None:
        self.path = path
        self._kind = kind  # the first bytes of the file: what the table holds, in which format
        self._damaged = False
        self.old: dict[str, str] = self._read() if path is not None else {}
        self.used: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        value = self.used.get(key)
        return value if value is not None else self.old.get(key)

    def put(self, key: str, value: str) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Keep what this run used: append what is new, or rewrite the file with only that."""
        if self.path is None:
            return
        new = {k: v for k, v in self.used.items() if k not in self.old}
        unused = len(self.old) - (len(self.used) - len(new))
        if self._damaged or not self.old or unused > len(self.used) // 4:
            if self.used != self.old or self._damaged:
                store(self.path, self._kind + self._record(self.used))
        elif new:
            try:
                with self.path.open("ab") as file:
                    file.write(self._record(new))
            except OSError:
                pass

    def _record(self, entries: dict[str, str]) -> bytes:
        body = marshal.dumps(entries)
        return self._HEAD.pack(len(body), zlib.crc32(body)) + body

    def _read(self) -> dict[str, str]:
        assert self.path is not None
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        if not data.startswith(self._kind):
            return {}
        table: dict[str, str] = {}
        offset = len(self._kind)
        while offset < len(data):
            loaded = self._entries(data, offset)
            if loaded is None:
                self._damaged = True  # the rest is lost; the next save rewrites the file
                break
            entries, offset = loaded
            table.update(entries)
        return table

    def _entries(self, data: bytes, offset: int) -> tuple[dict[str, str], int] | None:
        if offset + self._HEAD.size > len(data):
            return None
        size, checksum = self._HEAD.unpack_from(data, offset)
        start, end = offset + self._HEAD.size, offset + self._HEAD.size + size
        body = data[start:end]
        if len(body) != size or zlib.crc32(body) != checksum:
            return None
        try:
            entries = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None
        return (entries, end) if isinstance(entries, dict) else None

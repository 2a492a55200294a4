"""The cache table: a run adds a record, a mostly-unused table is rewritten, a damaged record is dropped."""

from __future__ import annotations

from pathlib import Path

from generator.cache import Table

KIND = b"test-table-1\n"


def _run(path: Path, used: dict[str, str]) -> Table:
    """One run: open the table, use `used` (reading what it holds first), keep it."""
    table = Table(path, KIND)
    for key, value in used.items():
        assert table.get(key) in (None, value)
        table.put(key, value)
    table.save()
    return table


def _entries(count: int, start: int = 0) -> dict[str, str]:
    return {f"key{n}": f"value {n}\n" * 3 for n in range(start, start + count)}


def test_a_run_that_adds_a_few_entries_appends_them_and_the_next_run_reads_them_all(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(100))
    first = path.read_bytes()
    _run(path, {**_entries(100), **_entries(1, start=100)})
    grown = path.read_bytes()
    assert grown.startswith(first) and len(grown) > len(first)  # appended to, not rewritten
    assert Table(path, KIND).old == {**_entries(100), **_entries(1, start=100)}


def test_an_unchanged_run_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(50))
    before = path.stat().st_mtime_ns, path.read_bytes()
    _run(path, _entries(50))
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_a_table_mostly_out_of_use_is_rewritten_with_only_what_is_used(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(100))
    _run(path, _entries(10, start=1000))  # 100 entries out of use against 10 in use
    assert Table(path, KIND).old == _entries(10, start=1000)


def test_a_few_entries_out_of_use_stay_until_there_are_many(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(100))
    _run(path, {**_entries(99), **_entries(1, start=100)})  # an edit: one entry replaced by another
    assert Table(path, KIND).old == {**_entries(100), **_entries(1, start=100)}


def test_a_torn_record_is_dropped_and_the_next_save_rewrites_the_file(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(20))
    _run(path, {**_entries(20), **_entries(1, start=20)})
    data = path.read_bytes()
    path.write_bytes(data[:-5])  # the appended record lost its end
    table = Table(path, KIND)
    assert table.old == _entries(20)  # the whole first record, nothing of the torn one
    _run(path, _entries(20))
    fresh = tmp_path / "fresh.bin"
    _run(fresh, _entries(20))
    assert path.read_bytes() == fresh.read_bytes()  # rewritten whole: the torn tail is gone


def test_a_corrupted_record_is_never_read_as_entries(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    _run(path, _entries(20))
    data = bytearray(path.read_bytes())
    at = data.index(b"value 7")
    data[at : at + 7] = b"VALUE 7"  # same length, different bytes: the checksum tells
    path.write_bytes(bytes(data))
    assert Table(path, KIND).old == {}


def test_another_kind_of_file_is_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "table.bin"
    path.write_bytes(b"something else entirely")
    assert Table(path, KIND).old == {}
    _run(path, _entries(3))
    assert Table(path, KIND).old == _entries(3)


def test_a_table_that_cannot_be_written_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    table = _run(blocked / "table.bin", _entries(3))  # its folder cannot be made
    assert table.get("key1") == _entries(3)["key1"]
    assert not (blocked / "table.bin").exists()

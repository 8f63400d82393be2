"""The message log file: chained entries, seals every N entries or T seconds, a head
copy of the last seal, safe reopening, one writer, and appends from many threads."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from civitas.core.clock import FixedClock
from civitas.exchange import FileMessageLog, LogDamaged, audit_log, load_signer, load_trust_list
from civitas.exchange.chain import GENESIS, entry_hash
from civitas.exchange.keys import trust_list_path
from civitas.exchange.logfile import head_path
from tests.exchange.conftest import Closable

Opener = Callable[..., FileMessageLog]


@pytest.fixture
def open_log(data_dir: Path, clock: FixedClock, closing: Callable[[Closable], None]) -> Opener:
    def make(name: str = "log.jsonl", **kwargs: object) -> FileMessageLog:
        signer = load_signer(data_dir, "tax-authority")
        options: dict[str, object] = {"seal_every": 1000, "background": False, **kwargs}
        log = FileMessageLog(data_dir / name, "tax-authority/tax", signer, clock, **options)  # type: ignore[arg-type]
        closing(log)
        return log

    return make


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def intact(data_dir: Path, path: Path) -> bool:
    head = head_path(path)
    report = audit_log(
        path.read_bytes(),
        load_trust_list(trust_list_path(data_dir)),
        head.read_bytes() if head.exists() else None,
    )
    return not report.findings


def test_entries_are_numbered_chained_and_hashed(open_log: Opener, data_dir: Path) -> None:
    log = open_log()
    offset = log.append("message", {"status": 200, "note": "Conceição"})
    entries = lines(log.path)
    assert [(e["seq"], e["kind"]) for e in entries] == [(1, "open"), (2, "message")]
    assert entries[0]["prev"] == GENESIS
    assert entries[1]["prev"] == entries[0]["hash"]
    body = {k: v for k, v in entries[1].items() if k != "hash"}
    assert entry_hash(body) == entries[1]["hash"]
    assert entries[1]["time"] == "2025-03-01T09:00:00.000Z"
    assert log.read(offset)["note"] == "Conceição"
    assert log.path.stat().st_mode & 0o777 == 0o600


def test_a_seal_follows_every_n_entries_and_is_copied_to_the_head(
    open_log: Opener, data_dir: Path
) -> None:
    log = open_log(seal_every=3)
    log.append("message", {"n": 1})
    log.append("message", {"n": 2})
    entries = lines(log.path)
    assert [e["kind"] for e in entries] == ["open", "message", "message", "seal"]
    assert entries[3]["first"] == 1
    assert json.loads(head_path(log.path).read_text()) == entries[3]
    log.append("message", {"n": 3})
    assert not intact(data_dir, log.path)  # entry 5 is not sealed yet: a note
    log.close()
    assert lines(log.path)[-1]["first"] == 5
    assert intact(data_dir, log.path)


def test_waiting_entries_are_sealed_after_the_seal_interval(
    open_log: Opener, clock: FixedClock
) -> None:
    log = open_log(seal_seconds=10)
    log.append("message", {})
    log.seal_if_due()
    assert lines(log.path)[-1]["kind"] == "message"
    clock.advance(dt.timedelta(seconds=10))
    log.seal_if_due()
    assert lines(log.path)[-1]["kind"] == "seal"
    log.seal_if_due()
    assert len(lines(log.path)) == 3  # nothing waits: no empty seal


def test_reopening_continues_the_chain(open_log: Opener, data_dir: Path) -> None:
    first = open_log()
    first.append("message", {"n": 1})
    first.close()
    second = open_log()
    second.append("message", {"n": 2})
    second.close()
    assert [e["seq"] for e in lines(second.path)] == [1, 2, 3, 4, 5, 6]
    assert intact(data_dir, second.path)


def test_a_last_line_cut_by_a_crash_is_dropped_and_noted(open_log: Opener, data_dir: Path) -> None:
    path = data_dir / "log.jsonl"
    first = open_log()
    first.append("message", {"n": 1})
    first.close()
    with path.open("ab") as damaged:
        damaged.write(b'{"hash":"abc","kind":"mess')
    again = open_log()
    again.close()
    opened = [e for e in lines(path) if e["kind"] == "open"]
    assert opened[-1]["dropped_bytes"] == 26
    assert intact(data_dir, path)


def test_a_log_cut_before_its_last_seal_is_not_continued(open_log: Opener, data_dir: Path) -> None:
    path = data_dir / "log.jsonl"
    log = open_log()
    log.append("message", {"n": 1})
    log.close()
    kept = path.read_text().splitlines(keepends=True)[:-1]  # drop the closing seal
    path.write_text("".join(kept))
    with pytest.raises(LogDamaged) as refused:
        open_log()
    assert refused.value.render()[0] == (
        f"The message log {path} was cut: it ends at entry 2, but its seal 3 is missing."
    )
    assert "civitas exchange verify-log" in refused.value.render()[1]


def test_a_second_writer_of_the_same_log_is_refused(open_log: Opener) -> None:
    open_log()
    with pytest.raises(LogDamaged, match="Another process is writing"):
        open_log()


def test_appends_from_many_threads_keep_one_unbroken_chain(
    open_log: Opener, data_dir: Path
) -> None:
    log = open_log(seal_every=50)

    def write(worker: int) -> None:
        for n in range(100):
            log.append("message", {"worker": worker, "n": n})

    workers = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    log.close()
    entries = lines(log.path)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert sum(e["kind"] == "message" for e in entries) == 800
    assert intact(data_dir, log.path)


def test_the_background_sealer_seals_and_stops_on_close(
    open_log: Opener, clock: FixedClock
) -> None:
    log = open_log(seal_seconds=0.05, background=True)
    log.append("message", {})
    clock.advance(dt.timedelta(seconds=1))
    done = threading.Event()
    for _ in range(100):
        if lines(log.path)[-1]["kind"] == "seal":
            done.set()
            break
        done.wait(0.02)
    assert done.is_set()
    log.close()

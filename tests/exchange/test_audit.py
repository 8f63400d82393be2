"""verify-log's check: every altered, removed, reordered or cut entry is found and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civitas.core.clock import FixedClock
from civitas.exchange import FileMessageLog, LogReport, audit_log, load_signer, load_trust_list
from civitas.exchange.chain import render, seal_claims
from civitas.exchange.keys import trust_list_path
from civitas.exchange.logfile import head_path
from civitas.exchange.signing import Signer, generate_key


@pytest.fixture
def log(data_dir: Path, clock: FixedClock) -> Path:
    """A closed log: open (1), messages 2-3, seal 4, messages 5-7, seal 8, message 9, seal 10."""
    path = data_dir / "tax.jsonl"
    signer = load_signer(data_dir, "tax-authority")
    written = FileMessageLog(
        path, "tax-authority/tax", signer, clock, seal_every=3, background=False
    )
    for n in range(6):
        written.append("message", {"n": n})
    written.close()
    return path


def check(data_dir: Path, path: Path, content: bytes | None = None, head: bool = True) -> LogReport:
    head_file = head_path(path)
    return audit_log(
        path.read_bytes() if content is None else content,
        load_trust_list(trust_list_path(data_dir)),
        head_file.read_bytes() if head else None,
        head_file.name,
    )


def texts(report: LogReport) -> list[str]:
    return [f.text() for f in report.findings]


def entries(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_an_untouched_log_has_no_findings(data_dir: Path, log: Path) -> None:
    report = check(data_dir, log)
    assert (report.entries, report.seals, report.sealed_up_to) == (10, 3, 10)
    assert report.party == "tax-authority/tax"
    assert report.findings == ()


def test_an_edited_entry_is_named(data_dir: Path, log: Path) -> None:
    lines = entries(log)
    lines[5] = lines[5].replace(b'"n":3', b'"n":4')
    report = check(data_dir, log, b"".join(lines))
    assert report.tampered
    assert texts(report) == [
        "Entry 6 (line 6) was altered: its content no longer matches its hash."
    ]


def test_an_edit_with_a_recomputed_hash_breaks_the_link_of_the_next_entry(
    data_dir: Path, log: Path
) -> None:
    lines = entries(log)
    body = json.loads(lines[5])
    del body["hash"]
    body["n"] = 99
    lines[5] = render(body)[1]
    assert texts(check(data_dir, log, b"".join(lines))) == [
        "Entry 6 (line 6) was altered or replaced: the entry after it no longer links to it."
    ]


def test_a_rewritten_chain_is_caught_by_the_seal_it_passes(data_dir: Path, log: Path) -> None:
    rewritten, prev = [], "0" * 64
    for raw in entries(log):
        body = json.loads(raw)
        del body["hash"]
        if body.get("n") == 1:
            body["n"] = 100
        body["prev"] = prev
        prev, line = render(body)
        rewritten.append(line)
    report = check(data_dir, log, b"".join(rewritten), head=False)
    assert texts(report) == [
        "The seal at entry 4 (line 4) does not hold (its signature covers other entries): "
        "entries 1 to 3 may have been changed.",
        "The seal at entry 8 (line 8) does not hold (its signature covers other entries): "
        "entries 5 to 7 may have been changed.",
        "The seal at entry 10 (line 10) does not hold (its signature covers other entries): "
        "entries 9 to 9 may have been changed.",
    ]


def test_seals_made_with_another_key_do_not_hold(data_dir: Path, log: Path) -> None:
    forger = Signer("tax-authority", generate_key("tax-authority"))
    lines = entries(log)
    body = json.loads(lines[3])
    del body["hash"]
    body["signature"] = forger.sign(seal_claims(body["party"], 4, body["prev"], body["first"]))
    lines[3] = render(body)[1]
    found = texts(check(data_dir, log, b"".join(lines)))
    assert found[0] == (
        "The seal at entry 4 (line 4) does not hold (its signature is not the log owner's): "
        "entries 1 to 3 may have been changed."
    )


def test_a_removed_entry_is_named(data_dir: Path, log: Path) -> None:
    lines = entries(log)
    del lines[5]
    assert texts(check(data_dir, log, b"".join(lines))) == [
        "Entry 6 was removed: the log goes from entry 5 to entry 7 (line 6)."
    ]
    del lines[0:2]
    assert texts(check(data_dir, log, b"".join(lines)))[0] == (
        "Entries 1 to 2 were removed from the start of the log."
    )


def test_swapped_entries_are_reported_as_reordered(data_dir: Path, log: Path) -> None:
    lines = entries(log)
    lines[5], lines[6] = lines[6], lines[5]
    assert texts(check(data_dir, log, b"".join(lines))) == [
        "Entry 7 (line 6) is out of order: it comes before entry 6. The entries were reordered.",
    ]


def test_a_repeated_entry_is_named(data_dir: Path, log: Path) -> None:
    lines = entries(log)
    lines.insert(7, lines[5])
    assert texts(check(data_dir, log, b"".join(lines))) == [
        "Entry 6 appears twice, on lines 6 and 8."
    ]


def test_cutting_sealed_entries_off_the_end_shows_through_the_head(
    data_dir: Path, log: Path
) -> None:
    cut = b"".join(entries(log)[:8])  # ends with the seal at entry 8: a chain that holds
    assert texts(check(data_dir, log, cut)) == [
        "The log was cut after entry 8: its latest seal, entry 10, is missing (the head file "
        "tax.jsonl.head still holds it)."
    ]
    assert check(data_dir, log, cut, head=False).findings == ()  # why the head is kept


def test_a_line_cut_in_the_middle_or_garbled_is_named(data_dir: Path, log: Path) -> None:
    content = log.read_bytes()
    found = texts(check(data_dir, log, content[:-20]))
    assert found[-1] == (
        "The last line (10) is incomplete: the log was cut in the middle of an entry."
    )
    lines = entries(log)
    lines[2] = b"not json\n"
    assert "Line 3 is not a readable log entry: it was edited or cut." in texts(
        check(data_dir, log, b"".join(lines))
    )


def test_entries_after_the_last_seal_are_a_note_not_tampering(
    data_dir: Path, log: Path, clock: FixedClock
) -> None:
    signer = load_signer(data_dir, "tax-authority")
    running = FileMessageLog(log, "tax-authority/tax", signer, clock, background=False)
    running.append("message", {"n": 7})
    report = check(data_dir, log)
    assert not report.tampered
    assert texts(report) == [
        "Entries 11 to 12 are not sealed yet: the writer is still running, or stopped without "
        "closing the log."
    ]
    running.close()
    assert check(data_dir, log).findings == ()

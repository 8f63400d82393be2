"""Check a message log: find altered, removed, reordered or cut entries, and say which.

``audit_log`` reads the lines of a log (see :mod:`civitas.exchange.chain`) and
returns a :class:`LogReport` whose findings each name the entry (``seq``) and the
line, in plain words. Findings marked ``tampered`` mean the log is not what its
writer wrote; the others (an unsealed tail) are notes. Pure: the caller reads the
files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from civitas.core.i18n import N_
from civitas.exchange.chain import GENESIS, SEAL, entry_hash, seal_claims
from civitas.exchange.signing import SignatureError, TrustList


@dataclass(frozen=True)
class Finding:
    line: int
    seq: int | None
    message: str  # a template marked with N_, filled from params
    params: Mapping[str, Any] = field(default_factory=dict)
    tampered: bool = True

    def text(self, gettext: Callable[[str], str] = str) -> str:
        params = dict(self.params)
        if "reason" in params:  # itself a marked message
            params["reason"] = gettext(params["reason"])
        return gettext(self.message).format(**params)


@dataclass(frozen=True)
class LogReport:
    party: str | None
    entries: int
    seals: int  # valid seals
    last_seq: int | None
    sealed_up_to: int | None  # seq of the last valid seal
    findings: tuple[Finding, ...]

    @property
    def tampered(self) -> bool:
        return any(f.tampered for f in self.findings)


@dataclass
class _Entry:
    line: int
    seq: int
    body: dict[str, Any]

    @property
    def hash(self) -> str:
        return str(self.body.get("hash", ""))


def parse_entry(raw: bytes) -> dict[str, Any] | None:
    """One log line as a dict, or ``None`` if it is not a well-formed entry."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeError):
        return None
    well_formed = (
        isinstance(body, dict)
        and isinstance(body.get("seq"), int)
        and isinstance(body.get("hash"), str)
        and isinstance(body.get("prev"), str)
    )
    return body if well_formed else None


def audit_log(
    content: bytes, trust: TrustList, head: bytes | None = None, head_name: str = ""
) -> LogReport:
    """Everything wrong with the log ``content`` (its bytes), checked against ``trust``.

    ``head`` is the content of the head file kept next to the log (the copy of its
    latest seal), if there is one.
    """
    audit = _Audit(trust)
    lines = content.split(b"\n")
    complete = lines[:-1]  # after the last newline comes an incomplete line, or nothing
    for number, raw in enumerate(complete, start=1):
        audit.line(number, raw)
    if lines[-1]:
        audit.found(
            len(lines),
            None,
            N_("The last line ({line}) is incomplete: the log was cut in the middle of an entry."),
            line=len(lines),
        )
    audit.finish(head, head_name)
    return audit.report()


class _Audit:
    def __init__(self, trust: TrustList) -> None:
        self.trust = trust
        self.entries: list[_Entry] = []
        self.findings: list[Finding] = []
        self.party: str | None = None
        self.seals = 0
        self.sealed_up_to: int | None = None
        self.last_sealed_line = 0

    def found(
        self, where: int, entry: int | None, message: str, /, tampered: bool = True, **params: Any
    ) -> None:
        self.findings.append(Finding(where, entry, message, params, tampered))

    def line(self, number: int, raw: bytes) -> None:
        body = parse_entry(raw)
        if body is None:
            self.found(
                number,
                None,
                N_("Line {line} is not a readable log entry: it was edited or cut."),
                line=number,
            )
            return
        entry = _Entry(number, body["seq"], body)
        self.entries.append(entry)
        if isinstance(body.get("party"), str) and self.party is None:
            self.party = body["party"]

    def finish(self, head: bytes | None, head_name: str) -> None:
        seqs = Counter(e.seq for e in self.entries)
        lines_of: dict[int, int] = {}
        altered: set[int] = set()
        reordered: set[int] = set()
        highest = 0
        previous: _Entry | None = None
        for entry in self.entries:
            seq = entry.seq
            unaltered = entry_hash(_without_hash(entry.body)) == entry.hash
            if not unaltered:
                altered.add(entry.line)
                self.found(
                    entry.line,
                    seq,
                    N_(
                        "Entry {seq} (line {line}) was altered: its content no longer matches "
                        "its hash."
                    ),
                    seq=seq,
                    line=entry.line,
                )
            if seq in lines_of:
                self.found(
                    entry.line,
                    seq,
                    N_("Entry {seq} appears twice, on lines {first} and {line}."),
                    seq=seq,
                    first=lines_of[seq],
                    line=entry.line,
                )
            elif seq <= highest:
                if seq not in reordered:
                    self.found(
                        entry.line,
                        seq,
                        N_(
                            "Entry {seq} (line {line}) is out of order: it comes after entry "
                            "{after}. The entries were reordered."
                        ),
                        seq=seq,
                        line=entry.line,
                        after=highest,
                    )
            elif seq > highest + 1:
                gap = range(highest + 1, seq)
                if any(s in seqs for s in gap):
                    reordered.update(s for s in gap if s in seqs)
                    self.found(
                        entry.line,
                        seq,
                        N_(
                            "Entry {seq} (line {line}) is out of order: it comes before entry "
                            "{before}. The entries were reordered."
                        ),
                        seq=seq,
                        line=entry.line,
                        before=highest + 1,
                    )
                else:
                    self._removed(entry, highest)
            elif previous is not None and previous.seq == seq - 1:
                if (
                    entry.body["prev"] != previous.hash
                    and unaltered
                    and previous.line not in altered
                ):
                    self.found(
                        previous.line,
                        previous.seq,
                        N_(
                            "Entry {seq} (line {line}) was altered or replaced: the entry after "
                            "it no longer links to it."
                        ),
                        seq=previous.seq,
                        line=previous.line,
                    )
            elif seq == 1 and entry.body["prev"] != GENESIS and unaltered:
                self.found(
                    entry.line,
                    seq,
                    N_("Entry 1 (line {line}) does not start a log: it links to an earlier entry."),
                    line=entry.line,
                )
            lines_of.setdefault(seq, entry.line)
            highest = max(highest, seq)
            if entry.body.get("kind") == SEAL:
                self._seal(entry)
            previous = entry
        self._tail(head, head_name)

    def _removed(self, entry: _Entry, highest: int) -> None:
        first, last = highest + 1, entry.seq - 1
        if highest == 0:
            message = N_("Entries {first} to {last} were removed from the start of the log.")
            if first == last:
                message = N_("Entry {first} was removed from the start of the log.")
        elif first == last:
            message = N_(
                "Entry {first} was removed: the log goes from entry {before} to entry {after} "
                "(line {line})."
            )
        else:
            message = N_(
                "Entries {first} to {last} were removed: the log goes from entry {before} to "
                "entry {after} (line {line})."
            )
        self.found(
            entry.line,
            entry.seq,
            message,
            first=first,
            last=last,
            before=highest,
            after=entry.seq,
            line=entry.line,
        )

    def _seal(self, entry: _Entry) -> None:
        first = entry.body.get("first")
        reason = self._seal_problem(entry.body)
        if reason is None:
            self.seals += 1
            self.sealed_up_to = entry.seq
            self.last_sealed_line = entry.line
            return
        self.found(
            entry.line,
            entry.seq,
            N_(
                "The seal at entry {seq} (line {line}) does not hold ({reason}): entries {first} "
                "to {last} may have been changed."
            ),
            seq=entry.seq,
            line=entry.line,
            reason=reason,
            first=first if isinstance(first, int) else "?",
            last=entry.seq - 1,
        )

    def _seal_problem(self, body: Mapping[str, Any]) -> str | None:
        party, first, token = body.get("party"), body.get("first"), body.get("signature")
        if not isinstance(party, str) or not isinstance(first, int) or not isinstance(token, str):
            return N_("it lacks its party, first entry or signature")
        member = party.split("/")[0]
        try:
            _kid, claims = self.trust.verify(token, expected_kid=member)
        except SignatureError as error:
            if error.reason == SignatureError.UNKNOWN_KEY:
                return N_("the trust list has no key of the log's owner")
            return N_("its signature is not the log owner's")
        if claims != seal_claims(party, body["seq"], body["prev"], first):
            return N_("its signature covers other entries")
        if self.party is not None and party != self.party:
            return N_("it seals the log of another party")
        return None

    def _tail(self, head: bytes | None, head_name: str) -> None:
        last = self.entries[-1] if self.entries else None
        if head is not None:
            sealed = parse_entry(head.strip())
            problem = None if sealed is None else self._seal_problem(sealed)
            if sealed is None or problem is not None:
                self.found(
                    0,
                    None,
                    N_("The head file {head} does not hold a valid seal: it was edited."),
                    head=head_name,
                )
            elif last is None or sealed["seq"] > max(e.seq for e in self.entries):
                self.found(
                    last.line if last else 0,
                    sealed["seq"],
                    N_(
                        "The log was cut after entry {last}: its latest seal, entry {seq}, is "
                        "missing (the head file {head} still holds it)."
                    ),
                    last=last.seq if last else 0,
                    seq=sealed["seq"],
                    head=head_name,
                )
            elif all(e.hash != sealed["hash"] for e in self.entries if e.seq == sealed["seq"]):
                self.found(
                    0,
                    sealed["seq"],
                    N_(
                        "Entry {seq} is not the seal kept in the head file {head}: the log was "
                        "rewritten after it."
                    ),
                    seq=sealed["seq"],
                    head=head_name,
                )
        if last is not None and last.body.get("kind") != SEAL:
            unsealed = [e for e in self.entries if e.line > self.last_sealed_line]
            self.found(
                unsealed[0].line,
                unsealed[0].seq,
                N_(
                    "Entries {first} to {last} are not sealed yet: the writer is still running, "
                    "or stopped without closing the log."
                ),
                tampered=False,
                first=unsealed[0].seq,
                last=last.seq,
            )

    def report(self) -> LogReport:
        return LogReport(
            party=self.party,
            entries=len(self.entries),
            seals=self.seals,
            last_seq=self.entries[-1].seq if self.entries else None,
            sealed_up_to=self.sealed_up_to,
            findings=tuple(sorted(self.findings, key=lambda f: (f.line, f.seq or 0))),
        )


def _without_hash(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "hash"}

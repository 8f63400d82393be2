"""A running node follows its country: a new period is loaded, verified and swapped in.

``civitas country advance`` writes a new period's registry and change files, then
replaces ``manifest.json`` last, in one rename (``civitas.synthetic.next_period``). So
the manifest is the one thing to watch: :class:`PeriodReloader` looks at its stamp
(inode, size, modification time: one ``stat``) every few seconds, in a background task
of the node's lifespan; requests pay nothing. When the stamp changes, the registry is
loaded again and checked exactly as at start (every file against the manifest, the
columns, the record ids, the change events in order), in a worker thread so answers go
on meanwhile, and then compared with the period served:

- the change feed must go on: the same feed (``RegistryFacts.feed``), no fewer events
  and no lower last seq, so a consumer's cursor resumes without a gap or a repeat (the
  advance numbers new events on from the last seq). A country generated again is a new
  feed: it is served, and cursors of the old one are refused as before (400).
- the period must not go back.

Then one assignment (:meth:`RegistryNode.swap`) serves it: a request in flight finishes
on the data it started with. A period that fails any check is not served: the node logs
why (``civitas.registries.reload``) and keeps the period it has, and tries again when
the manifest changes again. Until the swap, both periods are in memory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries.manifest import Stamp, manifest_stamp
from civitas.registries.ports import RegistryData, RegistryFacts
from civitas.registries.services import RegistryNode

log = logging.getLogger("civitas.registries.reload")

RELOAD_SECONDS = 2.0  # how often a node looks at its country's manifest


class PeriodReloader:
    """Swaps a new period of the country into ``node`` once it loaded and passed every check.

    ``stamp`` is the manifest's stamp taken *before* the data served now was loaded, so a
    period published while the node was starting is found on the first look.
    """

    def __init__(
        self,
        node: RegistryNode,
        country_dir: Path,
        load: Callable[[], RegistryData],
        stamp: Stamp | None,
        seconds: float = RELOAD_SECONDS,
        swapped: Callable[[], object] = lambda: None,
    ) -> None:
        self.node = node
        self.country_dir = country_dir
        self.load = load
        self.seen = stamp
        self.seconds = seconds
        self.swapped = swapped  # told after each swap (the node freezes the new data for gc)
        self.refused: CivitasError | None = None  # why the latest period was not served

    async def run(self) -> None:
        """Look every ``seconds`` until cancelled."""
        while True:
            await asyncio.sleep(self.seconds)
            await self.check()

    async def check(self) -> bool:
        """Serve the country's new period if its manifest changed; whether one was swapped in."""
        stamp = manifest_stamp(self.country_dir)
        if stamp is None or stamp == self.seen:
            return False
        self.seen = stamp
        registry = self.node.definition.id
        served = self.node.data.facts
        try:
            data = await asyncio.to_thread(self.load)
            continues(registry, served, data.facts)
        except CivitasError as error:
            self.refused = error
            log.warning(
                "registry=%s keeps period %d: the new data was refused: %s",
                registry,
                served.period,
                _why(error),
            )
            return False
        except Exception:  # whatever went wrong, the node goes on with the period it has
            log.exception("registry=%s keeps period %d: loading failed", registry, served.period)
            return False
        self.refused = None
        self.node.swap(data)
        self.swapped()
        log.info(
            "registry=%s now serves period %d (as of %s): %d rows, feed up to seq %d",
            registry,
            data.facts.period,
            data.facts.as_of,
            data.facts.rows,
            data.facts.last_seq,
        )
        return True


def continues(registry: str, served: RegistryFacts, new: RegistryFacts) -> None:
    """Refuse ``new`` when serving it after ``served`` would break cursors or go back."""
    if new.feed != served.feed:
        return  # generated again: a new feed, whose cursors the old ones never match
    if new.period < served.period or new.last_seq < served.last_seq or new.changes < served.changes:
        raise InvalidInput(
            N_(
                "The new data of the {registry} registry goes back (period {new_period}, "
                "feed up to seq {new_seq}) from what is served (period {period}, seq {seq})."
            ),
            hint=N_("Publish a later period with 'civitas country advance', or restart the node."),
            params={
                "registry": registry,
                "new_period": new.period,
                "new_seq": new.last_seq,
                "period": served.period,
                "seq": served.last_seq,
            },
        )


def _why(error: CivitasError) -> str:
    """The error and each of its problems, on one log line."""
    message, _hint = error.render()
    problems: tuple[FieldError, ...] = getattr(error, "errors", ())
    return "; ".join([message, *(f"{p.location()}: {p.message}" for p in problems)])

"""Letters: an accessible PDF (tagged, PDF/UA-1) in the print house's folder.

Each letter is written to ``<folder>/<yyyy-mm-dd>/<message id>.pdf``, the day being the
day it was made; the print house collects the day's folder. A letter made again (its
dispatcher stopped before noting it) is not made twice: the file found is the letter.

WeasyPrint needs Pango from the system. Without it no letter can be made, and letters
wait with the reason and what to install, instead of failing.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from civitas.core.clock import Clock
from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.notifications.documents import LETTER_PAGE, Documents
from civitas.notifications.domain import Channel, Outgoing
from civitas.notifications.ports import Written

log = logging.getLogger("civitas.notifications")

MakePdf = Callable[[str], bytes]
NO_PANGO = N_(
    "Letters cannot be made: WeasyPrint could not load Pango ({reason}). Install it "
    "(on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0), then restart Civitas."
)


def load_weasyprint() -> MakePdf:
    """HTML to a tagged PDF/UA-1 with WeasyPrint; OSError when Pango cannot be loaded."""
    weasyprint = importlib.import_module("weasyprint")

    def make(html: str) -> bytes:
        return bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))

    return make


class PdfLetters:
    def __init__(
        self,
        folder: Path,
        documents: Documents,
        clock: Clock,
        load: Callable[[], MakePdf] = load_weasyprint,
    ) -> None:
        self.folder = folder
        self.documents = documents
        self.clock = clock
        self._load = load
        self._make: MakePdf | None = None
        self._problem = ""
        self._one_at_a_time = threading.Lock()

    @property
    def channel(self) -> Channel:
        return Channel.LETTER

    def unavailable(self) -> str:
        if self._make is None and not self._problem:
            try:
                self._make = self._load()
            except (OSError, ImportError) as error:  # the library is there, Pango is not
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                self._problem = NO_PANGO.format(reason=reason)
                log.error("letters wait: %s", self._problem)
        return self._problem

    def made(self, message_id: str) -> Path | None:
        """The letter of this message, if it was made before."""
        return next(self.folder.glob(f"*/{message_id}.pdf"), None)

    async def send(self, outgoing: Outgoing, written: Written) -> None:
        message_id = outgoing.message.id
        if self.made(message_id) is not None:
            return
        html = self.documents.html(LETTER_PAGE, outgoing, written)
        day = self.folder / self.clock.now().date().isoformat()
        try:
            await asyncio.to_thread(self._write, html, day / f"{message_id}.pdf")
        except OSError as error:
            raise ExternalServiceUnavailable(
                N_("The letter could not be written to {folder}: {reason}."),
                hint=N_("Check that the folder can be written to and the disk is not full."),
                params={"folder": str(day), "reason": error.strerror or str(error)},
            ) from error

    def _write(self, html: str, path: Path) -> None:
        assert self._make is not None, "unavailable() loads WeasyPrint first"
        with self._one_at_a_time:  # WeasyPrint and Pango: one letter at a time
            pdf = self._make(html)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(pdf)
        partial.replace(path)  # the print house never sees half a letter

"""The take-up scan: who is entitled to each service but not enrolled, for a whole country.

``civitas proactive scan --month YYYY-MM`` (:mod:`.command`) reads the registers of a
country folder, builds the rules' inputs from them (:mod:`.inputs`), runs the rules
for everyone (``civitas.rules.batch``), compares entitlement with the benefits
register, and writes a report with charts, CSV and Parquet files, and a check against
a synthetic country's hidden truth. ``--send`` hands the gap to an :class:`OfferSink`.

Here: the findings (:class:`ScanResult`, :class:`ServiceSummary`, :class:`TakeUp`,
:class:`GapRow`, :class:`TruthCheck`) and the offers' port (:class:`OfferSink`,
:func:`send_offers`). The scan itself is ``run.scan`` (-> ``run.Scanned``), the files
``files.write_files`` and ``report.render_report``, the command
``command.scan_command`` / ``command.build_scan_command(sink_factory)``. Importing this
package loads no data and no rules engine. See README.md.
"""

from __future__ import annotations

from civitas.proactive.scan.model import (
    Agreement,
    GapRow,
    ScanResult,
    ServiceSummary,
    TakeUp,
    TruthCheck,
)
from civitas.proactive.scan.send import BATCH, OfferSink, send_offers

__all__ = [
    "BATCH",
    "Agreement",
    "GapRow",
    "OfferSink",
    "ScanResult",
    "ServiceSummary",
    "TakeUp",
    "TruthCheck",
    "send_offers",
]

"""Take-up per service and group, counted from the claims with NumPy.

Entitled = enrolled + gap in every row (the entitled and receiving it, and the entitled
not receiving it); *undetermined* beneficiaries are outside both. A service nobody is
entitled to still has its rows, with zeros. Groups come in the order of
:class:`.groups.Groups`; people whose group is unknown (no address record) are in the
group ``unknown``, shown when someone is. Counting is one ``bincount`` per grouping over
(group, state) codes, and one for the gap's amounts.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from civitas.proactive.scan.claims import ENROLLED, MISSED, STATES, UNDETERMINED, Claims
from civitas.proactive.scan.enrolment import Enrolment
from civitas.proactive.scan.groups import UNKNOWN, Groups
from civitas.proactive.scan.households import Households
from civitas.proactive.scan.model import GROUPINGS, TOTAL, ServiceSummary, TakeUp
from civitas.rules import Kind

Counts = dict[str, npt.NDArray[np.int64]]


def take_up(
    claims: Claims, homes: Households, groups: Groups, enrolment: Enrolment
) -> ServiceSummary:
    """A service's totals and groups, from its claims."""
    service = claims.service
    missed = np.flatnonzero(claims.state == MISSED)
    amount = np.asarray(pc.fill_null(claims.amount, 0).to_numpy(), dtype=np.float64)[missed]
    rows = {}
    for grouping in (TOTAL, *GROUPINGS):
        if grouping == TOTAL:
            labels, codes = [TOTAL], np.zeros(len(claims), dtype=np.int64)
        else:
            labels = [*groups.labels(grouping), UNKNOWN]
            codes = groups.codes(claims, homes, grouping)
        by_state = np.bincount(codes * STATES + claims.state, minlength=len(labels) * STATES)
        by_state = by_state.reshape(len(labels), STATES)
        sums = np.bincount(codes[missed], weights=amount, minlength=len(labels))
        counts = {
            "entitled": by_state[:, ENROLLED] + by_state[:, MISSED],
            "enrolled": by_state[:, ENROLLED],
            "gap": by_state[:, MISSED],
            "undetermined": by_state[:, UNDETERMINED],
            "gap_amount_cents": np.rint(sums).astype(np.int64),
        }
        rows[grouping] = _rows(claims, grouping, labels, counts)
    total = rows[TOTAL][0]
    return ServiceSummary(
        service=service.service,
        label=service.label,
        per_household=service.per_household,
        recorded=service.recorded,
        total=total,
        enrolled_not_entitled=(
            enrolment.count(service.service) - (total.enrolled or 0) if service.recorded else None
        ),
        groups=tuple(item for grouping in GROUPINGS for item in rows[grouping]),
    )


def _rows(claims: Claims, grouping: str, labels: list[str], counts: Counts) -> list[TakeUp]:
    """The service's row for each group; the unknown group only when someone is in it."""
    service = claims.service
    money = service.recorded and service.kind is Kind.MONEY
    rows = []
    for at, group in enumerate(labels):
        measure = {name: int(counted[at]) for name, counted in counts.items()}
        if group == UNKNOWN and not any(measure.values()):
            continue
        rows.append(
            TakeUp(
                service=service.service,
                grouping=grouping,
                group=group,
                entitled=measure["entitled"],
                enrolled=measure["enrolled"] if service.recorded else None,
                gap=measure["gap"] if service.recorded else None,
                gap_amount_cents=measure["gap_amount_cents"] if money else None,
                undetermined=measure["undetermined"],
            )
        )
    return rows

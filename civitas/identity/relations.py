"""Families and companies as the base registries say, asked through the once-only exchange.

The population register lists each person's mother and father; asking it for the
people *related to* a parent gives their children. The business register lists each
company's owner. Both answers are asked for the purpose ``representation``, on the
person's own behalf, so each look-up appears in their "who used my data".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from civitas.exchange import ExchangeClient
from civitas.identity.ports import Relative
from civitas.registries import ask_registry

PURPOSE = "representation"
CHILDREN = "civil-registry/population/related"
COMPANIES = "business-agency/business/person"
ADULT_AGE = 18


class ExchangeRelations:
    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange  # looked up at each call: the client opens with the app

    async def minors_of(self, parent: str, today: dt.date) -> Sequence[Relative]:
        records = await self._records(CHILDREN, parent)
        return [
            Relative(str(record["national_id"]).zfill(9), _name(record))
            for record in records
            if _is_parent(record, parent) and _minor(record, today)
        ]

    async def companies_of(self, owner: str) -> Sequence[Relative]:
        records = await self._records(COMPANIES, owner)
        return [
            Relative(str(record["company_number"]), str(record["company_name"]))
            for record in records
        ]

    async def _records(self, service: str, national_id: str) -> list[dict[str, Any]]:
        case = f"representation-{national_id}"
        asked = ask_registry(
            self.exchange(), service, national_id, purpose=PURPOSE, user=national_id, case=case
        )
        return (await asked).records


def _name(record: dict[str, Any]) -> str:
    return f"{record.get('first_name', '')} {record.get('family_name', '')}".strip()


def _is_parent(record: dict[str, Any], parent: str) -> bool:
    return parent.lstrip("0") in {
        str(record.get("mother_national_id") or ""),
        str(record.get("father_national_id") or ""),
    }


def _minor(record: dict[str, Any], today: dt.date) -> bool:
    if record.get("death_date"):
        return False
    born = dt.date.fromisoformat(str(record["birth_date"]))
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return age < ADULT_AGE

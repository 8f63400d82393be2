"""A small, valid country pack written into a folder, for tests to break on purpose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

COUNTRY = {
    "id": "testland",
    "name": {"en": "Testland", "pt": "Terra de Teste"},
    "portal_name": {"en": "Testland Services", "pt": "Serviços de Teste"},
    "tagline": {"en": "Services for you.", "pt": "Serviços para si."},
    "languages": ["en", "pt"],
    "spatial": "TST",
}
ORGANISATIONS = [
    {
        "id": "registry",
        "name": {"en": "Registry", "pt": "Registo"},
        "kind": "national_agency",
        "spatial": "TST",
        "description": {"en": "Keeps records.", "pt": "Guarda registos."},
    }
]
LEGAL = [
    {
        "id": "records-act",
        "title": {"en": "Records Act", "pt": "Lei dos Registos"},
        "url": "https://law.example/records",
    }
]
EVIDENCE = [
    {
        "id": "id-card",
        "name": {"en": "Identity card", "pt": "Cartão de identidade"},
        "description": {"en": "Your card.", "pt": "O seu cartão."},
        "kind": "identity_document",
    }
]
SERVICES = [
    {
        "id": "get-a-record",
        "name": {"en": "Get a record", "pt": "Obter um registo"},
        "description": {"en": "We send you a copy.", "pt": "Enviamos-lhe uma cópia."},
        "authority": "registry",
        "processing_days": 2,
        "standard": {"working_days": 5, "share": "0.9"},
        "delivery": "on_request",
        "assurance": "low",
        "legal_basis": ["records-act"],
        "evidence": ["id-card"],
        "channels": [
            {
                "id": "get-a-record-web",
                "type": "web",
                "description": {"en": "Online.", "pt": "Online."},
            }
        ],
        "costs": [
            {
                "id": "get-a-record-fee",
                "amount": "7.50",
                "description": {"en": "Fee.", "pt": "Taxa."},
            }
        ],
    }
]
EVENTS = [
    {
        "id": "needing-a-record",
        "kind": "life",
        "name": {"en": "Needing a record", "pt": "Precisar de um registo"},
        "description": {"en": "Get your records.", "pt": "Obtenha os seus registos."},
        "steps": [{"service": "get-a-record"}],
    }
]


def write_pack(folder: Path, **overrides: Any) -> Path:
    """Write the pack; ``overrides`` replace whole files, e.g. ``services=[...]``."""
    files: dict[str, Any] = {
        "country.yaml": COUNTRY,
        "organisations.yaml": ORGANISATIONS,
        "legal.yaml": LEGAL,
        "evidence.yaml": EVIDENCE,
        "services/registry.yaml": SERVICES,
        "events.yaml": EVENTS,
    }
    for key, value in overrides.items():
        name = "services/registry.yaml" if key == "services" else f"{key}.yaml"
        files[name] = value
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            data
            if isinstance(data, str)
            else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
    return folder

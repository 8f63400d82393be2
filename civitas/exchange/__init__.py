"""The once-only exchange: signed, purpose-bound, access-checked and logged calls
between agencies, on X-Road's REST conventions."""

from __future__ import annotations

from civitas.exchange.addresses import ServiceAddress, SubsystemId
from civitas.exchange.audit import Finding, LogReport, audit_log
from civitas.exchange.client import ExchangeClient
from civitas.exchange.consumer import Consumer, Outgoing, Received
from civitas.exchange.domain import (
    DATA_USE,
    BasisKind,
    ExchangeFile,
    ExchangeSetup,
    LegalBasis,
    Purpose,
    Right,
    VerifiedCall,
)
from civitas.exchange.errors import BadCall, CallNotFound, CallRefused, Code, ProviderUnavailable
from civitas.exchange.gate import ExchangeGate
from civitas.exchange.keys import (
    KeysInvalid,
    ensure_keys,
    key_path,
    load_signer,
    load_trust_list,
    log_path,
    trust_list_path,
)
from civitas.exchange.logfile import FileMessageLog, LogDamaged
from civitas.exchange.pack import EXCHANGE_FILE, ExchangeInvalid, load_exchange
from civitas.exchange.parties import LogPolicy, open_consumer, open_provider
from civitas.exchange.provider import Incoming, Provider, current_call
from civitas.exchange.replay import Window
from civitas.exchange.rights import CONSENT_PREFIX
from civitas.exchange.signing import Signer, TrustList

__all__ = [
    "CONSENT_PREFIX",
    "DATA_USE",
    "EXCHANGE_FILE",
    "BadCall",
    "BasisKind",
    "CallNotFound",
    "CallRefused",
    "Code",
    "Consumer",
    "ExchangeClient",
    "ExchangeFile",
    "ExchangeGate",
    "ExchangeInvalid",
    "ExchangeSetup",
    "FileMessageLog",
    "Finding",
    "Incoming",
    "KeysInvalid",
    "LegalBasis",
    "LogDamaged",
    "LogPolicy",
    "LogReport",
    "Outgoing",
    "Provider",
    "ProviderUnavailable",
    "Purpose",
    "Received",
    "Right",
    "ServiceAddress",
    "Signer",
    "SubsystemId",
    "TrustList",
    "VerifiedCall",
    "Window",
    "audit_log",
    "current_call",
    "ensure_keys",
    "key_path",
    "load_exchange",
    "load_signer",
    "load_trust_list",
    "log_path",
    "open_consumer",
    "open_provider",
    "trust_list_path",
]

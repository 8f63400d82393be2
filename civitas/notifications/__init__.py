"""Notifications: telling people what the state did for them, on the channels they chose,
in their language.

Another block keeps :class:`Notice` s with :func:`notify` inside its own transaction:
each becomes a message in the person's portal inbox at once, and an email and a letter
as the person's preferences ask. The :class:`Dispatcher` sends those in the background:
email over SMTP, letters as accessible PDF for a print house.
"""

from __future__ import annotations

from civitas.notifications.dispatcher import Dispatcher
from civitas.notifications.domain import (
    Channel,
    Delivery,
    DeliveryState,
    Message,
    Notice,
    PostalAddress,
    Preferences,
)
from civitas.notifications.mail_sink import MailSink, run_mail_sink
from civitas.notifications.pack import (
    NOTIFICATIONS_FILE,
    STANDARD,
    TemplatesInvalid,
    load_templates,
)
from civitas.notifications.services import Notifications
from civitas.notifications.store import SqlNotificationStore, notify
from civitas.notifications.templates import Filled, Templates

__all__ = [
    "NOTIFICATIONS_FILE",
    "STANDARD",
    "Channel",
    "Delivery",
    "DeliveryState",
    "Dispatcher",
    "Filled",
    "MailSink",
    "Message",
    "Notice",
    "Notifications",
    "PostalAddress",
    "Preferences",
    "SqlNotificationStore",
    "Templates",
    "TemplatesInvalid",
    "load_templates",
    "notify",
    "run_mail_sink",
]

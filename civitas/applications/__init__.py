"""Applications: once-only forms filled in from the registers, with the origin of every value.

The composition root builds :class:`Applications` from the pack's forms
(:func:`load_forms`) and mounts the pages and the burden API.
"""

from __future__ import annotations

from civitas.applications.domain import (
    PURPOSE,
    Application,
    Burden,
    FieldType,
    Form,
    Forms,
    Origin,
    ReportedError,
)
from civitas.applications.pack import FORMS_FILE, FormsInvalid, load_forms
from civitas.applications.services import Applications, burden

__all__ = [
    "FORMS_FILE",
    "PURPOSE",
    "Application",
    "Applications",
    "Burden",
    "FieldType",
    "Form",
    "Forms",
    "FormsInvalid",
    "Origin",
    "ReportedError",
    "burden",
    "load_forms",
]

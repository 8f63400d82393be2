"""``report.html``: the scan for people, in English or Portuguese, in one light page.

Rendered once, with a plain Jinja environment and the interface's gettext catalogue
(the same templates folder and style as the portal's pages, without a web request):
one summary table, then for each service a chart of the gap by each grouping, each
followed by its table. Numbers, shares and amounts are formatted with Babel for the
language. The page carries its styles and needs no script, font or image.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_currency, format_decimal, format_percent

from civitas.core.i18n import N_, Translator, load_translators, locale_for
from civitas.core.text import pick
from civitas.proactive.scan.charts import BarChart, bar_chart
from civitas.proactive.scan.groups import UNKNOWN
from civitas.proactive.scan.model import GROUPINGS, ScanResult, ServiceSummary, TakeUp

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PAGE = "proactive/scan_report.html"
CURRENCY = "EUR"

CHART_TITLES = {
    "region": N_("%(service)s: entitled but not enrolled, by region"),
    "age_band": N_("%(service)s: entitled but not enrolled, by age of the claimant"),
    "household_type": N_("%(service)s: entitled but not enrolled, by type of household"),
    "income_decile": N_("%(service)s: entitled but not enrolled, by income decile"),
}
TABLE_TITLES = {
    "region": N_("%(service)s by region"),
    "age_band": N_("%(service)s by age of the claimant"),
    "household_type": N_("%(service)s by type of household"),
    "income_decile": N_("%(service)s by income decile"),
}
GROUPING_NAMES = {
    "region": N_("Region"),
    "age_band": N_("Age of the claimant"),
    "household_type": N_("Type of household"),
    "income_decile": N_("Income decile"),
}
GROUP_NAMES = {
    "under_30": N_("Under 30"),
    "30_44": N_("30 to 44"),
    "45_64": N_("45 to 64"),
    "65_74": N_("65 to 74"),
    "75_plus": N_("75 or older"),
    "single": N_("Single"),
    "couple": N_("Couple"),
    "single_parent": N_("Single parent"),
    "couple_with_children": N_("Couple with children"),
    "other": N_("Other"),
    UNKNOWN: N_("Not known"),
}
DECILE_ENDS = {"1": N_("1 (lowest)"), "10": N_("10 (highest)")}


def render_report(
    result: ScanResult,
    language: str,
    region_names: Mapping[str, str] | None = None,
    translator: Translator | None = None,
) -> str:
    """The report page of ``result`` in ``language``."""
    translator = translator or load_translators([language])[language]
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    view = _View(translator, language, region_names or {})
    return environment.get_template(PAGE).render(
        lang=language,
        _=translator.gettext,
        gettext=translator.gettext,
        ngettext=translator.ngettext,
        result=result,
        services=[view.service(summary) for summary in result.services],
        number=view.number,
        share=view.share,
        money=view.money,
        service_name=lambda service: view.names.get(service, service),
    )


class _View:
    """What the template shows, translated and formatted for one language."""

    def __init__(self, translator: Translator, language: str, regions: Mapping[str, str]):
        self._ = translator.gettext
        self.language = language
        self.locale = locale_for(language)
        self.regions = regions
        self.names: dict[str, str] = {}

    def number(self, value: int | None) -> str:
        return "–" if value is None else str(format_decimal(value, locale=self.locale))

    def share(self, value: float | None) -> str:
        if value is None:
            return "–"
        return str(format_percent(value, format="#,##0.0%", locale=self.locale))

    def money(self, cents: int | None) -> str:
        if cents is None:
            return "–"
        amount = Decimal(cents).scaleb(-2)
        return str(format_currency(amount, CURRENCY, locale=self.locale))

    def group(self, grouping: str, group: str) -> str:
        if grouping == "region" and group in self.regions:
            return self.regions[group]
        if grouping == "income_decile" and group in DECILE_ENDS:
            return self._(DECILE_ENDS[group])
        return self._(GROUP_NAMES[group]) if group in GROUP_NAMES else group

    def service(self, summary: ServiceSummary) -> dict[str, Any]:
        name = pick(summary.label, self.language) or summary.service
        self.names[summary.service] = name
        sections = []
        for grouping in GROUPINGS:
            items = [item for item in summary.groups if item.grouping == grouping]
            sections.append(
                {
                    "id": f"{summary.service}-{grouping}",
                    "name": self._(GROUPING_NAMES[grouping]),
                    "caption": self._(TABLE_TITLES[grouping]) % {"service": name},
                    "chart": self._chart(summary, grouping, name, items),
                    "rows": [(self.group(grouping, i.group), i) for i in items],
                }
            )
        return {"summary": summary, "name": name, "sections": sections}

    def _chart(
        self, summary: ServiceSummary, grouping: str, name: str, items: list[TakeUp]
    ) -> BarChart | None:
        if not summary.recorded:
            return None
        title = self._(CHART_TITLES[grouping]) % {"service": name}
        values = [(self.group(grouping, i.group), i.gap or 0, self.number(i.gap)) for i in items]
        top = max(values, key=lambda item: item[1], default=None)
        if top is None or top[1] == 0:
            description = self._(
                "Nobody is entitled but not enrolled. The table after it has every number."
            )
        else:
            description = self._(
                "A bar for each group: how many are entitled but not enrolled. The most are "
                "in %(group)s: %(count)s. The table after it has every number."
            ) % {"group": top[0], "count": top[2]}
        return bar_chart(f"chart-{summary.service}-{grouping}", title, description, values)

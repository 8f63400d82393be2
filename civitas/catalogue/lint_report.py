"""Show plain-language findings: grouped by text for people, or as JSON for machines."""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from itertools import groupby

from rich.console import Console
from rich.markup import escape

from civitas.catalogue.plain_language import FORMULAS, Finding, Severity


class LintFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def fails(findings: Sequence[Finding], *, strict: bool) -> bool:
    """Errors fail the lint; with ``strict``, warnings do too."""
    return any(f.severity is Severity.ERROR or strict for f in findings)


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
    }


def print_text(
    console: Console,
    findings: Sequence[Finding],
    *,
    texts: int,
    languages: Sequence[str],
    readability: Mapping[str, float],
) -> None:
    """Each text with its findings under it, then a summary line.

    Rich drops colour and style by itself when the output is not a terminal.
    """
    for path, group in groupby(findings, key=lambda f: f.path):
        console.print(f"[bold]{escape(path)}[/]", soft_wrap=True)
        for finding in group:
            colour = "red" if finding.severity is Severity.ERROR else "yellow"
            console.print(
                f"  [{colour}]{finding.severity.value}[/] [dim]{finding.check_id}[/] "
                f"{escape(finding.message)}",
                soft_wrap=True,
            )
            if finding.excerpt:
                console.print(f"    “{escape(finding.excerpt)}”", soft_wrap=True)
            console.print(f"    [bold]Hint:[/] {escape(finding.hint)}", soft_wrap=True)
        console.print()
    total = counts(findings)
    checked = f"{texts} texts in {', '.join(languages)}"
    if findings:
        with_findings = len({f.path for f in findings})
        console.print(
            f"[bold]{total['errors']} error(s), {total['warnings']} warning(s)[/] "
            f"in {with_findings} text(s); {checked} checked.",
            soft_wrap=True,
        )
    else:
        console.print(f"[green]No plain-language problems[/] in {checked}.", soft_wrap=True)
    if readability:
        scores = ", ".join(
            f"{language} {score:.0f} ({FORMULAS[language].name})"
            for language, score in readability.items()
        )
        console.print(f"Readability of all descriptions together: {scores}.", soft_wrap=True)


def as_json(
    findings: Sequence[Finding],
    *,
    strict: bool,
    texts: int,
    languages: Sequence[str],
    readability: Mapping[str, float],
) -> str:
    document = {
        "ok": not fails(findings, strict=strict),
        "strict": strict,
        "languages": list(languages),
        "texts": texts,
        **counts(findings),
        "readability": {language: round(score, 1) for language, score in readability.items()},
        "findings": [
            {
                "check": f.check_id,
                "severity": f.severity.value,
                "path": f.path,
                "language": f.language,
                "message": f.message,
                "hint": f.hint,
                "excerpt": f.excerpt,
            }
            for f in findings
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

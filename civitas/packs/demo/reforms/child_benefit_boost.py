"""A proposal: raise every child benefit tier by 20 euros from January 2026, and lift the
income limit of the last tier to 38,000 (what-if; not law)."""

from civitas.rules import reform

child_benefit_boost = reform(
    "child-benefit-boost",
    label={
        "en": "Raise child benefit by 20 euros a child",
        "pt": "Aumentar o abono de família em 20 euros por criança",
    },
    parameters={
        "benefits.child_benefit.amount_by_income": {
            "2026-01-01": [
                ("0", "185.00"),
                ("12500.00", "140.00"),
                ("21000.00", "85.00"),
                ("38000.00", "0"),
            ]
        }
    },
)

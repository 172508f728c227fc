"""A small register told through the command line over two months (September and October 2026),
for the key figures, the monthly report and the exports: every kind of figure occurs once or
more, and a personal name and a sole trader's number are in it to be kept out of OCDS."""

from __future__ import annotations

from pathlib import Path

from conftest import run_trappa

STORY: list[tuple[str, tuple[str, ...]]] = [
    ("2026-09-10", ("report", "--supplier", "Vård AB", "--org-nr", "556677-8899", "--contract",
                    "Bemanning", "--criticality", "4", "--category", "leverans", "--source",
                    "stickprov", "--observed", "2026-09-09", "--description",
                    "Beställd sjuksköterska uteblev")),
    ("2026-10-03", ("report", "--supplier", "Vård AB", "--contract", "Bemanning", "--category",
                    "kvalitet", "--observed", "2026-10-02", "--description",
                    "Legitimation saknades", "--serious", "--reporter", "Anna Andersson")),
    ("2026-10-05", ("escalate", "2026-0001")),
    ("2026-10-06", ("plan", "2026-0001", "--due", "2026-10-20", "--item", "Bekräfta pass")),
    ("2026-10-07", ("sanction", "2026-0001", "--kind", "vite", "--amount", "40000.5",
                    "--reason", "Avtalet 7.3")),
    ("2026-10-12", ("report", "--supplier", "Städ AB", "--description", "Ej städat",
                    "--observed", "2026-10-11", "--source", "visselblåsning", "--anonymous",
                    "--contract", "Städ", "--criticality", "2")),
    ("2026-10-14", ("resolve", "2026-0002", "1")),
    ("2026-10-15", ("escalate", "2026-0001", "--to", "3", "--reason", "Upprepade brister")),
    ("2026-10-16", ("report", "--supplier", "Erik Enskild", "--org-nr", "850101-0006",
                    "--contract", "Snickeri", "--description", "Försenad", "--category",
                    "miljö", "--observed", "2026-10-16")),
    ("2026-10-20", ("close", "2026-0003", "--reason", "Åtgärdat")),
    ("2026-10-21", ("sanction", "2026-0001", "--kind", "avdrag", "--amount", "1234.5",
                    "--reason", "Prisavdrag")),
]


def tell(db: Path) -> None:
    """Record the story in ``db``."""
    for day, args in STORY:
        env = {"TRAPPA_TODAY": day, "TRAPPA_USER": "testare"}
        done = run_trappa(*args, "--db", str(db), env=env)
        assert done.returncode == 0, (args, done.stderr)

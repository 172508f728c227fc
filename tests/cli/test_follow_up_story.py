"""The follow-up cycle end to end, as a contract manager at Region Kalmar runs it: the risk is
assessed, the supplier's reply comes late, a vite window nears its end, and review, status, the
calendar and the dossier say what is due and by when, in working days; once the supplier is
blocked, `trappa check` stops a purchasing script."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_trappa

CASE = "2026-0001"


def at(day: str, *args: str) -> str:
    """Run a command on ``day``; return its stdout (it must succeed)."""
    result = run_trappa(*args, env={"TRAPPA_TODAY": day})
    assert result.returncode == 0, (args, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def json_at(day: str, *args: str) -> object:
    return json.loads(at(day, *args, "--json"))


def row(rows: object) -> dict:
    assert isinstance(rows, list) and len(rows) == 1, rows
    found: dict = rows[0]
    return found


def test_a_late_reply_and_a_vite_window_nearing_its_end(tmp_path: Path) -> None:
    for key, value in [("org.name", "Region Kalmar län"), ("org.contact", "avtal@regionkalmar.se"),
                       ("org.signatory", "Karin Avtal"), ("sanction.claim_within_days", "60")]:
        at("2026-02-02", "config", "set", key, value)
    party = ["--supplier", "Vårdbemanning Norr AB", "--org-nr", "556677-8899",
             "--contract", "Bemanning 2025", "--criticality", "4"]
    at("2026-02-02", "report", *party, "--ladder", "kalmar", "--observed", "2026-02-02",
       "--description", "Beställd sjuksköterska uteblev från nattpass")
    risk = json_at("2026-02-03", "risk", CASE, "--probability", "3", "--consequence", "4",
                   "--note", "Nattbemanning på akuten")
    assert isinstance(risk, dict) and (risk["score"], risk["band"]) == (12, "Mycket hög")
    at("2026-02-16", "report", *party, "--observed", "2026-02-16",
       "--description", "Legitimation kunde inte uppvisas")
    at("2026-02-17", "escalate", CASE)  # two deviations within 180 days: the rules call for 1

    # The letter asks for a reply within the ladder's ten working days: by Wednesday 4 March.
    sent = json_at("2026-02-18", "letter", CASE, "avvikelsemeddelande", "-o",
                   str(tmp_path / "brev.md"))
    assert isinstance(sent, dict) and sent["reply_by"] == "2026-03-04"
    # The plan is due fifteen working days after Friday 20 February: Friday 13 March.
    plan = json_at("2026-02-20", "plan", CASE, "--due-in", "15", "--item", "Bekräfta varje pass")
    assert isinstance(plan, dict) and plan["due"] == "2026-03-13"

    # Monday 9 March: the reply is three working days late, the plan due in four.
    review = row(json_at("2026-03-09", "review"))
    assert review["due"] == [
        {"what": "reply", "ref": 1, "date": "2026-03-04", "state": "overdue", "working_days": -3},
        {"what": "plan", "ref": 1, "date": "2026-03-13", "state": "soon", "working_days": 4},
    ]
    assert review["light"] == "red"
    status = row(json_at("2026-03-09", "status"))
    assert (status["light"], status["due"]) == ("red", review["due"])
    assert at("2026-03-09", "review").splitlines()[-2:] == [
        f"{CASE}: reply to letter 1 by 2026-03-04: overdue, 3 working days ago",
        f"{CASE}: action plan 1 by 2026-03-13: soon, 4 working days left",
    ]

    reply_file = tmp_path / "svar.pdf"
    reply_file.write_bytes(b"%PDF-1.4 svar fran VD")
    answer = json_at("2026-03-10", "reply", CASE, "1", "--received", "2026-03-10",
                     "--file", str(reply_file), "--note", "VD svarar med en åtgärdslista")
    assert isinstance(answer, dict)
    assert (answer["late"], answer["reply_by"], answer["kind"]) == (
        True, "2026-03-04", "avvikelsemeddelande")
    at("2026-03-16", "plan", CASE, "--followup", "followed")
    at("2026-03-20", "waive", CASE, "1", "--reason", "Passet ersattes samma natt; inget vite")
    assert row(json_at("2026-03-20", "status"))["light"] == "yellow"

    # The window of deviation 2 (observed 16 February, 60 days) ends Friday 17 April: by 6 April
    # it is listed as soon, and the case is not red for it.
    soon = row(json_at("2026-03-20", "review", "--as-of", "2026-04-06"))
    assert soon["due"] == [
        {"what": "claim", "ref": 2, "date": "2026-04-17", "state": "soon", "working_days": 9},
    ]
    assert soon["light"] == "yellow"

    # The calendar: the window's last day, the waived one cancelled; it imports as iCalendar.
    ics = tmp_path / "forfallodagar.ics"
    at("2026-03-20", "calendar", "-o", str(ics))
    from icalendar import Calendar

    events = {str(e["UID"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    claim2 = next(e for uid, e in events.items() if uid.startswith(f"{CASE}-claim-2@"))
    claim1 = next(e for uid, e in events.items() if uid.startswith(f"{CASE}-claim-1@"))
    assert claim2["DTSTART"].dt.isoformat() == "2026-04-17"
    assert str(claim2["STATUS"]) == "CONFIRMED" and CASE in str(claim2["SUMMARY"])
    assert str(claim1["STATUS"]) == "CANCELLED"  # waived: struck out of a subscribed calendar
    assert not any(uid.startswith(f"{CASE}-reply-") for uid in events)  # its date has passed

    # After the window: overdue, the case red, until a sanction answers the deviation.
    late = row(json_at("2026-04-20", "review"))
    assert late["due"] == [
        {"what": "claim", "ref": 2, "date": "2026-04-17", "state": "overdue",
         "working_days": -1},
    ]
    assert row(json_at("2026-04-20", "status"))["light"] == "red"
    at("2026-04-20", "sanction", CASE, "--kind", "vite", "--amount", "10000",
       "--reason", "Avtalat vite för uteblivet pass", "--deviation", "2")
    assert row(json_at("2026-04-20", "status"))["light"] == "yellow"
    assert json_at("2026-04-20", "review") == []

    # The dossier tells the risk assessment, the reply and the waiver in date order.
    dossier = at("2026-04-20", "dossier", "Vårdbemanning Norr AB")
    risk_at = dossier.index("**Riskbedömning 1:** sannolikhet 3 × konsekvens 4 = 12")
    reply_at = dossier.index("**Svar från leverantören** på skrivelse nr 1, mottaget 10 mars 2026")
    waiver_at = dossier.index("**Beslut att avstå från sanktion** för avvikelse nr 1")
    sanction_at = dossier.index("Vite, 10\u00a0000\u00a0kr för avvikelse nr 2")
    assert risk_at < reply_at < waiver_at < sanction_at
    assert "Svar senast 4 mars 2026" in dossier
    shown = json_at("2026-04-20", "show", CASE)
    assert isinstance(shown, dict)
    assert shown["letters"][0]["reply"]["received"] == "2026-03-10"
    assert shown["letters"][0]["reply"]["file"]["name"] == "svar.pdf"
    assert [(d["n"], d["waived_on"]) for d in shown["deviations"]] == [
        (1, "2026-03-20"), (2, None)]
    assert shown["sanctions"][0]["deviations"] == [2]
    assert shown["sanctions"][0]["kind_label"] == "Vite"
    assert "Vite" in at("2026-04-20", "show", CASE).split("Sanctions")[1].split("Letters")[0]
    assert "intact" in at("2026-04-20", "verify")

    # A purchasing script asks before each order: yes, until the supplier is blocked at step 4.
    check = ["check", "Vårdbemanning Norr AB", "--contract", "Bemanning 2025"]
    assert run_trappa(*check, env={"TRAPPA_TODAY": "2026-05-04"}).returncode == 0
    at("2026-05-04", "escalate", CASE, "--to", "4", "--reason", "Nya uteblivna pass trots vite")
    at("2026-05-05", "done", CASE, "sparra", "--note", "Beslut om spärr, dnr RS 2026/0311")
    refused = run_trappa(*check, env={"TRAPPA_TODAY": "2026-05-06"})
    assert (refused.returncode, refused.stdout.strip()) == (1, (
        f"Vårdbemanning Norr AB (Bemanning 2025) is blocked by case {CASE} at level 4"
        " (Handlingsplan utan avsedd effekt eller återkommande avvikelse/allvarliga avvikelser)"
        " since 2026-05-05"))
    unknown = run_trappa("check", "Städ & Service i Kalmar AB")
    assert (unknown.returncode, unknown.stderr.strip()) == (
        0, "no record of Städ & Service i Kalmar AB in the register: not blocked")

#!/usr/bin/env bash
# A realistic story on a throwaway database: a staffing supplier under Region Kalmar's ladder,
# from the first deviation, up the ladder, to a sanction and the way back. Run with `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
TRAPPA="$PWD/.venv/bin/trappa"
workdir=$(mktemp -d "${TMPDIR:-/tmp}/trappa-demo.XXXXXX")
trap 'rm -rf "$workdir"' EXIT
export TRAPPA_DB="$workdir/demo.db" TRAPPA_USER="karin.avtal" COLUMNS="${COLUMNS:-110}"
# English whatever the locale, so that the story reads the same everywhere: TRAPPA_LANG=sv for
# the story in Swedish.
export TRAPPA_LANG="${TRAPPA_LANG:-en}"

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
on() { export TRAPPA_TODAY="$1"; }   # the story moves through 2026
trappa() {  # show the command as a person would type it, then run it
  local shown="" arg
  for arg in "$@"; do
    case "$arg" in *[[:space:]]*) shown+=" \"$arg\"" ;; *) shown+=" $arg" ;; esac
  done
  printf '\033[2m$ trappa%s\033[0m\n' "$shown"
  "$TRAPPA" "$@"
}

say "The ladders trappa knows, and what Kalmar changes in the national one"
trappa ladder list
trappa validate ladders/regionerna/2024-04-01.yaml ladders/kalmar/2024.yaml
trappa ladder diff regionerna kalmar | head -40

say "Once: the organisation's details, and Kalmar's ladder as the default"
on 2026-02-01
trappa config set org.name "Region Kalmar län"
trappa config set org.unit "Upphandlingsenheten"
trappa config set org.contact "karin.avtal@example.se, 0480-00 00 00"
trappa config set org.signatory "Karin Avtal, avtalsansvarig"
trappa config set default.ladder kalmar
# A vite must be claimed within 60 days of the deviation, or it is lost.
trappa config set sanction.claim_within_days 60

S=(--supplier "Vårdbemanning Norr AB" --org-nr 556677-8899 --contract "Bemanning sjuksköterskor 2025")

say "February: a nurse does not turn up for a night shift (step 0)"
on 2026-02-09
trappa report "${S[@]}" --criticality 4 --category leverans --source verksamhet \
  --reporter "Anna Lind, enhetschef akuten" --reference "RS 2026/0142" \
  --description "Beställd sjuksköterska uteblev från nattpass på akutmottagningen"
trappa risk 2026-0001 --probability 2 --consequence 3 \
  --note "Patientsäkerhet: måttlig risk, pass täcktes internt"
trappa done 2026-0001 dialog --note "Telefonmöte med leverantörens kundansvarige"

say "March: it happens again; the rules now call for step 1"
on 2026-03-16
trappa report "${S[@]}" --category kvalitet --source verksamhet --observed 2026-03-14 \
  --description "Legitimation kunde inte uppvisas vid passets början"
trappa escalate 2026-0001
trappa plan 2026-0001 --due 2026-04-30 --owner "Kundansvarig, Vårdbemanning Norr AB" \
  --item "Bekräfta varje pass senast 48 timmar i förväg" \
  --item "Kontrollera legitimation i HOSP före varje placering"
trappa done 2026-0001 handlingsplan

say "May: the plan's due date has passed with nothing to show"
on 2026-05-12
trappa review
trappa plan 2026-0001 --followup not_followed --note "Ingen rutin redovisad vid uppföljningsmötet"
trappa explain 2026-0001
trappa escalate 2026-0001
trappa sanction 2026-0001 --kind vite --amount 25000 --deviation 1 --deviation 2 \
  --reason "Vite enligt avtalets punkt 8.3 för uteblivna pass"

say "The letters step 2 calls for: the notice of sanction, as Markdown and as Word"
trappa letter 2026-0001 --list
trappa letter 2026-0001 meddelande-om-sanktion
trappa letter 2026-0001 information-kontaktperson --format docx -o "$workdir/information.docx"

say "June: the supplier's reply to the notice comes late; status says so, in working days"
on 2026-06-01
trappa status
trappa reply 2026-0001 1 --received 2026-06-01 --note "VD bestrider vitet; hänvisar till sjukfrånvaro"
trappa reply 2026-0001 2 --received 2026-06-01 --note "Kontaktpersonen bekräftar informationen"

say "June: a whistleblower, then a sample check, point to unpaid occupational pensions"
on 2026-06-03
trappa report "${S[@]}" --serious --anonymous --source visselblåsning --category arbetsrätt \
  --description "Uppgifter om att tjänstepension inte betalas för inhyrda sjuksköterskor"
on 2026-06-20
trappa report "${S[@]}" --serious --source stickprov --category arbetsrätt \
  --description "Stickprov: tjänstepension saknas för 3 av 5 kontrollerade sjuksköterskor"
trappa escalate 2026-0001 --to 3 \
  --reason "Allvarliga arbetsrättsliga brister; affärsmöte med VD innan spärr övervägs"
trappa status
trappa show 2026-0001

say "Purchasing asks before ordering: may the supplier be used? (exit 0 yes, 1 blocked)"
trappa contract "Bemanning sjuksköterskor 2025" --claim-within 60 --reason "Avtalets punkt 8.3: vite krävs inom 60 dagar"
trappa check "Vårdbemanning Norr AB" --contract "Bemanning sjuksköterskor 2025"

say "July: the vite windows of June's deviations near their end"
on 2026-07-27
trappa review
trappa waive 2026-0001 3 --reason "Den anonyma uppgiften bekräftades av stickprovet; avdrag för avvikelse 4"
trappa sanction 2026-0001 --kind avdrag --amount 40000 --deviation 4 \
  --reason "Avdrag enligt avtalets punkt 8.4 för utebliven tjänstepension"
trappa calendar -o "$workdir/forfallodagar.ics"

say "Autumn: a new plan that works — the way back"
on 2026-08-25
trappa plan 2026-0001 --due 2026-09-30 --owner "VD, Vårdbemanning Norr AB" \
  --item "Betala in retroaktiv tjänstepension och visa intyg" \
  --item "Månatlig rapport om bemanningsgrad och avvikelser"
on 2026-10-05
trappa plan 2026-0001 --followup followed --note "Intyg från pensionsbolaget; inga nya avvikelser"
for n in 1 2 3 4; do trappa resolve 2026-0001 "$n"; done
trappa deescalate 2026-0001 --to 1 --reason "Handlingsplanen genomförd och stickprov utan anmärkning"
trappa explain 2026-0001
trappa letter 2026-0001 nedtrappning -o "$workdir/nedtrappning.html"

say "The supplier's dossier: every fact in date order, with the letters' sha256"
trappa dossier "Vårdbemanning Norr AB" | head -40

say "November: October's key figures, and the monthly report for the procurement manager"
on 2026-11-02
trappa figures
trappa monthly --month 2026-10 -o "$workdir/oktober.pdf" -o "$workdir/oktober.xlsx"

say "The history is intact: every event hash-chained"
trappa verify

"""Every type of event in the register, and the ``data`` each carries (dates are ``YYYY-MM-DD``
text). ``trappa.history.projection`` folds a case's events into its state.

* ``reported``: ``deviation`` (``n``, ``kind``, ``serious``, ``observed``, ``category``,
  ``description``, ``source``, ``reporter``, ``external_id``); on the case's first event also
  ``opened``: ``supplier`` (``id``, ``name``, ``org_nr``), ``contract`` (``id``, ``name``,
  ``criticality``) or null, ``ladder`` (``id@version``), ``ladder_sha256`` (of the resolved ladder
  the case runs under), ``reference`` (diarienummer) or null; on a later report, ``reference``
  when that report gave the case its diarienummer (a case that had none)
* ``escalated`` / ``deescalated``: ``from``, ``to``, ``reason`` (null when the rules carried
  the move), ``rules`` (ids of the rules that held)
* ``activity_done``: ``activity``, ``level``, ``note``
* ``plan_established``: ``n``, ``due``, ``items``, ``owner``
* ``plan_followed_up``: ``n``, ``outcome`` (``followed``/``not_followed``/``no_effect``), ``note``
* ``sanction``: ``n``, ``kind`` (a code of the ladder's ``sanction_kinds``; free text before
  kinds were codes), ``amount``, ``reason``, ``takes_effect`` when it was given (kept in the
  event only: the letters read it from there), and ``deviations`` (the numbers of the deviations
  it answers, ``sanction --deviation``; absent on older events: none)
* ``letter_sent``: ``kind``, ``recipient``, ``format``, ``sha256``, ``activity``; ``reply_by``
  when the register follows up the supplier's reply (``trappa.letters.reply_by``); and what the
  letter was about when that was chosen: ``sanction`` (its ``n``), ``plan`` (its ``n``),
  ``override`` (the reason to send it below its step)
* ``reply_received``: ``letter`` (its number in the case, 1, 2, … in the order sent),
  ``received`` (the date the reply came), ``note``, ``file`` (``name``, ``sha256``, ``size``, the
  bytes kept in the register like a sent letter's) or null; the fold keeps it with the letter
  as its ``reply`` (``received``, ``note``, ``file``, ``date``, ``seq``)
* ``waived``: ``deviation`` (its ``n``), ``reason``: a decision not to sanction the deviation
* ``resolved``: ``deviation`` (its ``n``), ``note``
* ``closed`` / ``reopened``: ``reason``; ``closed`` also ``override`` (the reason a close was
  made though the latest plan had no follow-up or a deviation was open) and ``outstanding``
  (``plan``: its number or null, ``deviations``: the open ones' numbers) when one was given
* ``risk_assessed``: ``n``, ``probability``, ``consequence`` (1-4 each), ``score`` (their
  product), ``band`` (the ladder's label for the score), ``band_default`` (the bands were trappa's
  default), ``note``, ``activity`` (the step's risk assessment activity it marked done, or null)
* ``ladder_adopted``: ``from`` / ``to`` (``ladder``, ``ladder_sha256`` each), ``reason``: the
  case runs under the ``to`` ladder from then on
* ``note``: ``text``
* ``assigned``: ``owner``: the case's owner (its avtalsansvarig, the person who follows it up),
  or null when nobody is
* ``redacted``: ``deviation`` (its ``n``), ``reason``: the deviation's reporter was erased; the
  reporter reads as ``REMOVED`` from then on (``trappa.cases.redact``)
* ``supplier_identified``: ``supplier`` (``id``, ``name``, ``org_nr``): the organisation number
  a report gave a supplier registered without one, recorded on the case that report went to
  (after its ``reported`` event). The number itself is the supplier's, kept with the supplier
  (a case's state holds only its ``supplier_id``), so every case of the supplier shows it

Events outside any case: a contract's changes are a stream of their own, ``contract:<id>``
(``trappa.history.contracts``), in the same chain; ``fold`` never sees them.
"""

from __future__ import annotations

EVENT_TYPES = (
    "reported",
    "escalated",
    "deescalated",
    "activity_done",
    "plan_established",
    "plan_followed_up",
    "sanction",
    "letter_sent",
    "resolved",
    "closed",
    "reopened",
    "note",
    "redacted",
    "supplier_identified",
    "reply_received",
    "waived",
    "risk_assessed",
    "ladder_adopted",
    "assigned",
)

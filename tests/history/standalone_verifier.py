"""A verifier of a trappa register written from docs/evidence.md alone: the standard library,
``sqlite3`` and ``rfc8785``, nothing of trappa. ``python standalone_verifier.py trappa.db``
prints the head (events and hash) or the first problem, and exits 1 on a problem."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys

import rfc8785

GENESIS = "0" * 64
FIELDS = {"v", "case", "seq", "type", "date", "recorded_at", "actor", "data"}


def verify(path: str) -> tuple[int, str, list[str]]:
    """(events, head hash, problems) of the register at ``path``."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    problems: list[str] = []
    prev, count = GENESIS, 0
    seqs: dict[str, list[int]] = {}
    for (position, case_id, seq, type_, date, recorded_at, actor, data, prev_hash, digest,
         body) in conn.execute(
            "SELECT position, case_id, seq, type, date, recorded_at, actor, data, prev_hash,"
            " hash, body FROM events ORDER BY position"):
        count += 1
        where = f"event {position} ({case_id} #{seq})"
        if prev_hash != prev:
            problems.append(f"{where}: broken link")
        if body is None:  # format 1
            hashed = json.dumps(
                {"actor": actor, "case": case_id, "data": json.loads(data), "date": date,
                 "recorded_at": recorded_at, "seq": seq, "type": type_},
                ensure_ascii=False, sort_keys=True, separators=(",", ":"),
            ).encode()
        else:  # format 2
            hashed = bytes(body)
            fields = json.loads(hashed)
            if rfc8785.dumps(fields) != hashed or set(fields) != FIELDS or fields["v"] != 2:
                problems.append(f"{where}: body is not a canonical format 2 body")
            elif ([fields[k] for k in ("case", "seq", "type", "date", "recorded_at", "actor")]
                  != [case_id, seq, type_, date, recorded_at, actor]
                  or rfc8785.dumps(fields["data"]) != data.encode()):
                problems.append(f"{where}: columns differ from the body")
        if hashlib.sha256(prev_hash.encode() + hashed).hexdigest() != digest:
            problems.append(f"{where}: hash mismatch")
        seqs.setdefault(case_id, []).append(seq)
        prev = digest
    last_seq = dict(conn.execute("SELECT id, last_seq FROM cases"))
    last_seq.update(conn.execute("SELECT 'contract:' || id, last_seq FROM contracts"))
    for case_id in sorted(seqs.keys() | last_seq.keys()):
        numbers = sorted(seqs.get(case_id, []))
        if numbers != list(range(1, max([*numbers, last_seq.get(case_id, 0)]) + 1)):
            problems.append(f"case {case_id}: events missing")
    for digest, salt, value in conn.execute("SELECT digest, salt, value FROM personal_data"):
        if hashlib.sha256(bytes(salt) + value.encode()).hexdigest() != digest:
            problems.append(f"personal data {digest}: does not match its salt and value")
    conn.close()
    return count, prev if count else GENESIS, problems


if __name__ == "__main__":
    events, head, found = verify(sys.argv[1])
    print(json.dumps({"events": events, "head": head, "problems": found}))
    sys.exit(1 if found else 0)

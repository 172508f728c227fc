"""A case's history: the events, their fold into the case's current state, and the hash chain
over them. Pure: no SQL and no I/O, so the rules and the store read the same facts."""

"""The operations on cases, each one transaction, the bulk import, and the read views
(``show``, ``status``, ``review``) in the JSON shapes of DESIGN.md."""

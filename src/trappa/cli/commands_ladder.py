"""`trappa validate` and `trappa ladder ...`."""

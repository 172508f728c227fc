"""The rules engine: which step a case calls for, and why. Pure: no I/O."""

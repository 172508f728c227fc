"""Ladder files: the format's models, reading YAML with positions, validation, ``extends``,
where ladders are found, how two differ, and the resolved ladder as plain data for the cases."""

"""`python -m trappa`: the same as the `trappa` command."""

from trappa.cli import main

main()

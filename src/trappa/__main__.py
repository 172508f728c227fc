from trappa.cli import main

main()

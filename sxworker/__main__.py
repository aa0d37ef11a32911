from sxworker.cli import main

main()

from sxworker.research.cli import main

main()

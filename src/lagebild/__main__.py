from lagebild.cli import main

main()

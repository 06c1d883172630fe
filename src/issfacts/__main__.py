from issfacts.cli import main

main()

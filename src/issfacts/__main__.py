from issfacts.entry import main

main()

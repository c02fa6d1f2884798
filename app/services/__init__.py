"""One module per job; the GUI and the command line call the same functions."""

package main

// childListener is filled in once listener.Start lands.
func childListener() int { return 1 }

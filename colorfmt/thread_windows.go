package colorfmt

import "golang.org/x/sys/windows"

// threadID is %(thread)d: the id of the OS thread running the logging
// goroutine at the moment of the call (GetCurrentThreadId).
func threadID() int {
	return int(windows.GetCurrentThreadId())
}

//go:build !unix

package service

// notify does nothing: there is no systemd here (Windows). NOTIFY_SOCKET
// is ignored.
func notify(string) error { return nil }

// monotonicUsec is never read, as notify sends nothing.
func monotonicUsec() (uint64, bool) { return 0, false }

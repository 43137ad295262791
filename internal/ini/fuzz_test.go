package ini

import (
	"strings"
	"testing"
)

// maxErrorText is logcfg.MaxErrorText: no error about one file may be
// longer (ini cannot import logcfg).
const maxErrorText = 64 << 10

// FuzzInterpolation reads any file and interpolates every key of every
// section (as the parser may), asserting the work budget: all the Gets
// together take at most Budget steps (WorkPerByte per byte plus
// WorkBase), overshooting by at most the one step that found it spent,
// and no error text exceeds 64 KiB, whatever the file holds.
func FuzzInterpolation(f *testing.F) {
	f.Add([]byte("[DEFAULT]\na=%(b)s%(b)s\nb=%(c)s%(c)s\nc=\n[s]\nk=%(a)s\n"))
	f.Add([]byte("[DEFAULT]\nk0=%(k1)s%(k1)s%(k1)s\nk1=%(k2)s%(k2)s%(k2)s\nk2=%(k3)s%(k3)s%(k3)s\nk3=%(k4)s%(k4)s%(k4)s\nk4=%(k5)s%(k5)s%(k5)s\n" +
		"k5=%(k6)s%(k6)s%(k6)s\nk6=%(k7)s%(k7)s%(k7)s\nk7=%(k8)s%(k8)s%(k8)s\nk8=%(k9)s%(k9)s%(k9)s\nk9=\n[logger_root]\nlevel=%(k0)sINFO\n"))
	f.Add([]byte("[s]\na=%(a)s\nb=50%\nc=%%(x)s\nd=%(\ne=%()s\n"))
	f.Add([]byte("[DEFAULT]\nx=" + strings.Repeat("%(y)s", 50) + "\ny=" + strings.Repeat("z", 500) + "\n[s]\nk=%(x)s\nl=%(x)s\n"))
	f.Add([]byte("[s]\nk = first\n  %(here)s continued\n\n  more %(here)s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(data, "fuzz.conf")
		if err != nil {
			if n := len(err.Error()); n > maxErrorText {
				t.Fatalf("read error of %d bytes", n)
			}
			return
		}
		defaults := map[string]string{"here": "/srv/app"}
		sc := NewScope(doc, defaults)
		size := len(data) + len("here") + len("/srv/app")
		gets := 0
		for _, s := range append([]*Section{doc.Defaults}, doc.Sections...) {
			if s == nil {
				continue
			}
			for _, k := range s.Keys {
				gets++
				_, _, err := sc.Get(s, k.Name)
				if err != nil {
					if n := len(err.Error()); n > maxErrorText {
						t.Fatalf("interpolation error of %d bytes", n)
					}
				}
			}
		}
		if sc.Budget() != WorkPerByte*size+WorkBase {
			t.Fatalf("budget %d for %d bytes", sc.Budget(), size)
		}
		if sc.Work() > sc.Budget()+2*size {
			t.Fatalf("%d gets took %d steps for %d bytes (budget %d)", gets, sc.Work(), size, sc.Budget())
		}
	})
}

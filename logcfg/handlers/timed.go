package handlers

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/livelog/livelog/internal/pylit"
)

// timedSig is TimedRotatingFileHandler's signature in CPython 3.11.
var timedSig = signature{"TimedRotatingFileHandler",
	[]string{"filename", "when", "interval", "backupCount", "encoding", "delay", "utc", "atTime", "errors"}, 1}

// timedArgs are a TimedRotatingFileHandler's checked arguments.
type timedArgs struct {
	fileArgs
	when     string // upper-cased: S, M, H, D, MIDNIGHT or W0–W6
	interval int64  // seconds between rollovers
	utc      bool
	delay    bool
	atTime   int64 // seconds after midnight, or -1 for None (midnight)
	suffix   string
	extMatch *regexp.Regexp
}

// timedUnits are the whens other than weekdays: the seconds of one unit,
// the suffix (as a Go layout for CPython's strftime format) and the
// pattern of a suffix that getFilesToDelete takes for a backup.
var timedUnits = map[string]struct {
	secs   int64
	layout string
	ext    *regexp.Regexp
}{
	"S":        {1, "2006-01-02_15-04-05", extRegexp(`\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}`)},
	"M":        {60, "2006-01-02_15-04", extRegexp(`\d{4}-\d{2}-\d{2}_\d{2}-\d{2}`)},
	"H":        {3600, "2006-01-02_15", extRegexp(`\d{4}-\d{2}-\d{2}_\d{2}`)},
	"D":        {86400, "2006-01-02", extRegexp(`\d{4}-\d{2}-\d{2}`)},
	"MIDNIGHT": {86400, "2006-01-02", extRegexp(`\d{4}-\d{2}-\d{2}`)},
	"W":        {7 * 86400, "2006-01-02", extRegexp(`\d{4}-\d{2}-\d{2}`)},
}

// extRegexp is CPython's extMatch for a suffix pattern, compiled with
// re.ASCII (Go's \d and \w are ASCII too). Python's "$" also matches
// before a final newline, hence the "\n?".
func extRegexp(suffix string) *regexp.Regexp {
	return regexp.MustCompile(`^` + suffix + `(\.\w+)?\n?$`)
}

func timedArgsOf(a Args) (timedArgs, error) {
	fa, err := fileArgsOf(timedSig, a)
	if err != nil {
		return timedArgs{}, err
	}
	got, _ := timedSig.bind(a) // fileArgsOf bound them already
	ta := timedArgs{fileArgs: fa, when: "H", interval: 1, atTime: -1}
	bad := func(name, want string, v pylit.Value) error {
		return fmt.Errorf("%w: TimedRotatingFileHandler %s must be %s, not %s", ErrBadArgs, name, want, pylit.Describe(v))
	}
	if v, ok := got["when"]; ok {
		if v.Kind != pylit.KindString {
			return ta, bad("when", "a string (S, M, H, D, midnight or W0-W6)", v)
		}
		ta.when = pyUpper(v.Str)
	}
	unit, ok := timedUnits[ta.when]
	if strings.HasPrefix(ta.when, "W") {
		// CPython's messages, for a when that starts with W.
		switch {
		case len(ta.when) != 2:
			return ta, fmt.Errorf("%w: TimedRotatingFileHandler when %q: you must specify a day for weekly rollover from 0 to 6 (0 is Monday)", ErrBadArgs, clip(ta.when))
		case ta.when[1] < '0' || ta.when[1] > '6':
			return ta, fmt.Errorf("%w: TimedRotatingFileHandler when %q: invalid day specified for weekly rollover (W0-W6, 0 is Monday)", ErrBadArgs, clip(ta.when))
		}
		unit, ok = timedUnits["W"], true
	}
	if !ok {
		return ta, fmt.Errorf("%w: TimedRotatingFileHandler when %q: invalid rollover interval (want S, M, H, D, midnight or W0-W6, in any case)", ErrBadArgs, clip(ta.when))
	}
	if v, ok := got["interval"]; ok {
		n, isInt := intOf(v)
		if !isInt || n < 1 || n > 1<<40 {
			// CPython loops for ever on its first rollover with 0 or less.
			return ta, bad("interval", "a whole number >= 1 and at most 2**40 (how many units between rollovers)", v)
		}
		ta.interval = n
	}
	ta.interval *= unit.secs
	ta.suffix, ta.extMatch = unit.layout, unit.ext
	if v, ok := got["utc"]; ok {
		n, isInt := intOf(v)
		if !isInt {
			return ta, bad("utc", "True or False", v)
		}
		ta.utc = n != 0
	}
	if v, ok := got["delay"]; ok {
		n, _ := intOf(v) // fileArgsOf checked it
		ta.delay = n != 0
	}
	if v, ok := got["atTime"]; ok && v.Kind != pylit.KindNone {
		if v.Kind != pylit.KindTime {
			return ta, bad("atTime", "None or a time of day, datetime.time(hour, minute, second)", v)
		}
		h, m, s, _ := pylit.TimeOfDay(v)
		ta.atTime = int64((h*60+m)*60 + s)
	}
	return ta, nil
}

// intOf reads an int, or a bool as the int Python takes it for.
func intOf(v pylit.Value) (int64, bool) {
	switch v.Kind {
	case pylit.KindInt:
		return v.Int, true
	case pylit.KindBool:
		if v.Bool {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// pyUpper is str.upper for the strings a when can be: ASCII letters are
// upper-cased, and so are the two non-ASCII letters whose upper case is
// ASCII ('ı' → 'I', 'ſ' → 'S'), as Python does; any other character
// keeps the string invalid whatever its upper case.
func pyUpper(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r == 'ı':
			return 'I'
		case r == 'ſ':
			return 'S'
		}
		return r
	}, s)
}

func checkTimed(a Args) error {
	_, err := timedArgsOf(a)
	return err
}

func openTimed(a Args, newEnc EncoderFunc) (Output, error) {
	return openTimedIn(a, newEnc, time.Local, timeNow)
}

// openTimedIn opens a TimedRotatingFileHandler whose clock is now (Unix
// seconds) and whose local time is in loc.
func openTimedIn(a Args, newEnc EncoderFunc, loc *time.Location, now func() int64) (Output, error) {
	ta, err := timedArgsOf(a)
	if err != nil {
		return Output{}, err
	}
	fw, err := openTimedWriter(ta, loc, now)
	if err != nil {
		return Output{}, err
	}
	return writerOutput(fw, newEnc)
}

// timeNow is Python's int(time.time()).
func timeNow() int64 { return time.Now().Unix() }

// timedRoller is the rotation of a TimedRotatingFileHandler's
// fileWriter, CPython 3.11's shouldRollover, doRollover and
// computeRollover in Go. Its fields are guarded by the writer's mutex.
type timedRoller struct {
	ta         timedArgs
	base       string // the absolute path (Python's baseFilename)
	loc        *time.Location
	now        func() int64 // Unix seconds
	rolloverAt int64
	// unborn: delay=True and the file did not exist when the handler
	// opened. The first write creates it just before checking for a
	// rollover; CPython checks first, finds no file and renames nothing,
	// so neither does the first check here. renameNothing carries that
	// to rotate.
	unborn, renameNothing bool
}

// openTimedWriter opens the file (with delay, at the first record) and
// computes the first rollover from its modification time, or from now
// when it does not exist, as CPython's constructor does (after opening
// the file, so that a new file's mtime is now).
func openTimedWriter(ta timedArgs, loc *time.Location, now func() int64) (*fileWriter, error) {
	base, err := filepath.Abs(ta.name)
	if err != nil {
		return nil, err
	}
	r := &timedRoller{ta: ta, base: base, loc: loc, now: now}
	fw := &fileWriter{fa: ta.fileArgs, timed: r}
	if !ta.delay {
		if err := fw.reopen(); err != nil {
			return nil, err
		}
	}
	start := now()
	if st, err := os.Stat(ta.name); err == nil {
		start = st.ModTime().Unix()
	} else {
		// A delayed file that does not exist yet: CPython's first
		// rollover renames nothing.
		r.unborn = true
	}
	r.rolloverAt = r.computeRollover(start)
	return fw, nil
}

func (r *timedRoller) weekly() bool { return strings.HasPrefix(r.ta.when, "W") }

func (r *timedRoller) local(t int64) time.Time {
	if r.ta.utc {
		return time.Unix(t, 0).UTC()
	}
	return time.Unix(t, 0).In(r.loc)
}

func (r *timedRoller) isDST(t int64) bool { return time.Unix(t, 0).In(r.loc).IsDST() }

// computeRollover is CPython 3.11's TimedRotatingFileHandler.computeRollover:
// now plus the interval, or for midnight and weekly rollovers the next
// atTime (midnight by default) on the right day, with an hour's
// correction when a weekly rollover crosses a DST change. (Like CPython
// 3.11, a midnight rollover is not corrected for DST: on the day of a
// change it happens an hour off.)
func (r *timedRoller) computeRollover(now int64) int64 {
	result := now + r.ta.interval
	if r.ta.when != "MIDNIGHT" && !r.weekly() {
		return result
	}
	t := r.local(now)
	day := (int(t.Weekday()) + 6) % 7 // Python's tm_wday: Monday is 0
	rotate := r.ta.atTime
	if rotate < 0 {
		rotate = 86400
	}
	left := rotate - int64((t.Hour()*60+t.Minute())*60+t.Second())
	if left < 0 {
		left += 86400
		day = (day + 1) % 7
	}
	result = now + left
	if !r.weekly() {
		return result
	}
	if want := int(r.ta.when[1] - '0'); day != want {
		wait := want - day
		if day > want {
			wait = 6 - day + want + 1
		}
		next := result + int64(wait)*86400
		if !r.ta.utc {
			if dstNow := t.IsDST(); dstNow != r.isDST(next) {
				if dstNow {
					next += 3600
				} else {
					next -= 3600
				}
			}
		}
		result = next
	}
	return result
}

// due is CPython's shouldRollover: the rollover time has come, and the
// file is a regular file (or gone). For any other file (bpo-45401) the
// next rollover time is computed and nothing is renamed. Before the
// rollover time it is one clock read and one comparison.
func (r *timedRoller) due() bool {
	t := r.now()
	if t < r.rolloverAt {
		r.unborn = false
		return false
	}
	r.renameNothing, r.unborn = r.unborn, false
	if st, err := os.Stat(r.base); err == nil && !st.Mode().IsRegular() {
		r.rolloverAt = r.computeRollover(t)
		return false
	}
	return true
}

// rotate is CPython's doRollover: the file is renamed to its name plus
// the start of the interval that ends (in the suffix's format, corrected
// by an hour when DST changed since), replacing a file of that name; the
// oldest backups past backupCount are deleted; a fresh file is opened and
// the next rollover time computed. If a rename fails the file is reopened
// all the same, so logging goes on.
func (r *timedRoller) rotate(fw *fileWriter) error {
	closeErr := fw.f.Close()
	fw.f = nil
	now := r.now()
	dstNow := r.isDST(now)
	start := r.rolloverAt - r.ta.interval
	stamp := r.local(start)
	if !r.ta.utc && dstNow != stamp.IsDST() {
		if dstNow {
			stamp = r.local(start + 3600)
		} else {
			stamp = r.local(start - 3600)
		}
	}
	dest := r.base + "." + stamp.Format(r.ta.suffix)
	var errs []error
	if _, err := os.Lstat(dest); err == nil {
		errs = append(errs, os.Remove(dest))
	}
	if r.renameNothing {
		r.renameNothing = false
	} else if err := os.Rename(r.base, dest); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	if r.ta.backups > 0 {
		old, err := r.filesToDelete()
		errs = append(errs, err)
		for _, name := range old {
			errs = append(errs, os.Remove(name))
		}
	}
	next := r.computeRollover(now)
	for next <= now {
		next += r.ta.interval
	}
	if (r.ta.when == "MIDNIGHT" || r.weekly()) && !r.ta.utc {
		if dstNow != r.isDST(next) {
			if dstNow {
				next += 3600
			} else {
				next -= 3600
			}
		}
	}
	r.rolloverAt = next
	if err := fw.reopen(); err != nil {
		return err
	}
	if err := errors.Join(append([]error{closeErr}, errs...)...); err != nil {
		return fmt.Errorf("logcfg: rotating %s: %w", filepath.Base(r.base), err)
	}
	return nil
}

// filesToDelete is CPython's getFilesToDelete: the files of the
// directory whose names start with the file's name and whose part after
// the name's stem and a dot has a dot-separated part that is a suffix of
// this handler's kind; sorted, all but the backupCount last (the newest),
// or none when there are fewer.
func (r *timedRoller) filesToDelete() ([]string, error) {
	dir, base := filepath.Split(r.base)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	stem, _ := pySplitext(base)
	prefix := stem + "."
	var result []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || !strings.HasPrefix(name, prefix) {
			continue
		}
		for part := range strings.SplitSeq(name[len(prefix):], ".") {
			if r.ta.extMatch.MatchString(part) {
				result = append(result, filepath.Join(dir, name))
				break
			}
		}
	}
	if len(result) < r.ta.backups {
		return nil, nil
	}
	slices.Sort(result)
	return result[:len(result)-r.ta.backups], nil
}

// pySplitext is Python's os.path.splitext of a base name: the extension
// starts at the last dot, unless only dots come before it.
func pySplitext(name string) (root, ext string) {
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 || strings.Trim(name[:dot], ".") == "" {
		return name, ""
	}
	return name[:dot], name[dot:]
}

package handlers

import "time"

// TimedRollover is the first rollover instant (Unix seconds) of a
// TimedRotatingFileHandler with args a whose clock reads now, with local
// time in loc: CPython's computeRollover(now).
func TimedRollover(a Args, loc *time.Location, now int64) (int64, error) {
	ta, err := timedArgsOf(a)
	if err != nil {
		return 0, err
	}
	r := &timedRoller{ta: ta, loc: loc, now: func() int64 { return now }}
	return r.computeRollover(now), nil
}

// OpenTimedAt opens a TimedRotatingFileHandler whose clock is now (Unix
// seconds) and whose local time is in loc.
var OpenTimedAt = openTimedIn

// Package pickle appends Python pickle opcodes of protocol 1, the
// protocol CPython's logging.handlers.SocketHandler sends records in
// (pickle.dumps(d, 1)), for the values a log record holds: str, int,
// float, bool, None, and dicts and lists of them.
//
// A pickle is built by appending: a dict is [AppendDictStart], its keys
// and values in turn, then [AppendDictEnd]; the whole pickle ends with
// [AppendStop]. For example {'a': 1}:
//
//	b := pickle.AppendDictStart(nil)
//	b = pickle.AppendString(b, "a")
//	b = pickle.AppendInt(b, 1)
//	b = pickle.AppendDictEnd(b)
//	b = pickle.AppendStop(b)
//
// The output is what Python's pickle.loads reads back as the same values.
// It is not byte-identical to what pickle.dumps writes: CPython also
// memoizes each dict, list and str (BINPUT), which a reader needs only
// for objects that appear twice, and these never do.
package pickle

import (
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf8"
)

// Protocol 0 and 1 opcodes, as Lib/pickle.py names them.
const (
	opMark       = '('
	opStop       = '.'
	opNone       = 'N'
	opInt        = 'I' // INT: decimal text and "\n"; protocol 1 writes bools as "I01\n" and "I00\n"
	opBinInt     = 'J' // BININT: 4-byte little-endian signed
	opBinInt1    = 'K' // BININT1: 1-byte unsigned
	opBinInt2    = 'M' // BININT2: 2-byte little-endian unsigned
	opLong       = 'L' // LONG: decimal text, "L\n"
	opBinFloat   = 'G' // BINFLOAT: 8-byte big-endian IEEE 754
	opBinUnicode = 'X' // BINUNICODE: 4-byte little-endian length, UTF-8
	opEmptyDict  = '}'
	opSetItems   = 'u'
	opEmptyList  = ']'
	opAppends    = 'e'
)

// AppendNone appends None.
func AppendNone(b []byte) []byte { return append(b, opNone) }

// AppendBool appends True or False as protocol 1 writes them.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "I01\n"...)
	}
	return append(b, "I00\n"...)
}

// AppendInt appends an int in the shortest form protocol 1 has for it, as
// CPython's pickler chooses: BININT1, BININT2, BININT, or LONG beyond 32
// bits.
func AppendInt(b []byte, v int64) []byte {
	switch {
	case v >= 0 && v <= 0xff:
		return append(b, opBinInt1, byte(v))
	case v >= 0 && v <= 0xffff:
		return append(b, opBinInt2, byte(v), byte(v>>8))
	case v >= math.MinInt32 && v <= math.MaxInt32:
		b = append(b, opBinInt)
		return binary.LittleEndian.AppendUint32(b, uint32(int32(v)))
	}
	b = append(b, opLong)
	b = strconv.AppendInt(b, v, 10)
	return append(b, 'L', '\n')
}

// AppendUint appends an unsigned int (an int in Python).
func AppendUint(b []byte, v uint64) []byte {
	if v <= math.MaxInt64 {
		return AppendInt(b, int64(v))
	}
	b = append(b, opLong)
	b = strconv.AppendUint(b, v, 10)
	return append(b, 'L', '\n')
}

// AppendFloat appends a float (BINFLOAT); NaN and the infinities too.
func AppendFloat(b []byte, v float64) []byte {
	b = append(b, opBinFloat)
	return binary.BigEndian.AppendUint64(b, math.Float64bits(v))
}

// AppendString appends a str. Python decodes it as UTF-8 (and fails on
// anything else), so invalid UTF-8 in s is sent as U+FFFD, as Go's
// strings.ToValidUTF8 replaces it.
func AppendString(b []byte, s string) []byte {
	if utf8.ValidString(s) {
		b = append(b, opBinUnicode)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	b = append(b, opBinUnicode)
	at := len(b)
	b = append(b, 0, 0, 0, 0)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
			// Like strings.ToValidUTF8: one replacement per run of bad bytes.
			for len(s) > 0 {
				r, size = utf8.DecodeRuneInString(s)
				if r != utf8.RuneError || size != 1 {
					break
				}
				s = s[1:]
			}
			continue
		}
		b = append(b, s[:size]...)
		s = s[size:]
	}
	binary.LittleEndian.PutUint32(b[at:], uint32(len(b)-at-4))
	return b
}

// AppendDictStart opens a dict: its keys and values follow, in turn.
func AppendDictStart(b []byte) []byte { return append(b, opEmptyDict, opMark) }

// AppendDictEnd closes the dict opened last. A key given twice keeps its
// last value, as in a Python dict display.
func AppendDictEnd(b []byte) []byte { return append(b, opSetItems) }

// AppendListStart opens a list: its items follow.
func AppendListStart(b []byte) []byte { return append(b, opEmptyList, opMark) }

// AppendListEnd closes the list opened last.
func AppendListEnd(b []byte) []byte { return append(b, opAppends) }

// AppendStop ends the pickle: pickle.loads returns the one value before it.
func AppendStop(b []byte) []byte { return append(b, opStop) }

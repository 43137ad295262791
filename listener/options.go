package listener

import (
	"time"

	"go.uber.org/zap"

	"github.com/livelog/livelog/internal/wire"
	"github.com/livelog/livelog/logcfg"
)

// Defaults of the options.
const (
	DefaultAddress     = "127.0.0.1"
	DefaultPortLo      = 9001
	DefaultPortHi      = 9030
	DefaultMaxPayload  = wire.DefaultMaxPayload // 1 MiB
	DefaultReadTimeout = 5 * time.Second
	DefaultMaxConns    = 16
	// DefaultWriteTimeout bounds each write of a greeting or reply.
	DefaultWriteTimeout = 5 * time.Second
	// DefaultConnLifetime bounds a connection's whole life.
	DefaultConnLifetime = time.Minute
	// DefaultReportInterval is how often turned-away connections are
	// reported (one WARNING line with their count).
	DefaultReportInterval = 10 * time.Second
)

// An Option configures [Start].
type Option interface{ applyListenerOption(*options) }

type optionFunc func(*options)

func (f optionFunc) applyListenerOption(o *options) { f(o) }

type options struct {
	address      string
	lo, hi       int
	maxPayload   int
	readTimeout  time.Duration
	maxConns     int
	writeTimeout time.Duration
	connLifetime time.Duration
	reportEvery  time.Duration
	fileRoots    []string
	full         bool
	secretFile   string
	verify       func([]byte) ([]byte, error)
	maxTemp      time.Duration
	hooks        Hooks
	name         string
	clock        Clock
	logger       *zap.Logger
}

// WithAddress sets the address to bind (default 127.0.0.1). Any address
// that is not loopback ("", "0.0.0.0", a LAN address) is refused unless
// [WithSecretFile] is also given.
func WithAddress(addr string) Option {
	return optionFunc(func(o *options) { o.address = addr })
}

// WithPorts sets the range of ports tried in turn (default 9001–9030,
// both included).
func WithPorts(lo, hi int) Option {
	return optionFunc(func(o *options) { o.lo, o.hi = lo, hi })
}

// WithMaxPayload caps a frame's payload (default 1 MiB). A longer frame is
// rejected by its 4-byte length, before its payload is read.
func WithMaxPayload(n int) Option {
	return optionFunc(func(o *options) { o.maxPayload = n })
}

// WithReadTimeout bounds the time a client may take to send each frame
// once it has started, and the time an idle connection is kept (default
// 5 s).
func WithReadTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) { o.readTimeout = d })
}

// WithWriteTimeout bounds each write of the greeting or a reply (default
// 5 s). A client that does not read its replies stalls the write; once it
// has stalled this long the connection is closed and its slot freed.
func WithWriteTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) { o.writeTimeout = d })
}

// WithConnLifetime bounds a connection's whole life, however busy it is
// (default 1 minute): at the end of it the frame being read is rejected,
// or an idle connection closed. A slot is a lease: no client holds one
// longer than this.
func WithConnLifetime(d time.Duration) Option {
	return optionFunc(func(o *options) { o.connLifetime = d })
}

// WithReportInterval sets how often connections turned away over the
// connection cap are reported: one WARNING line per interval with their
// count, "turned away 52 connections (limit 16)" (default 10 s).
func WithReportInterval(d time.Duration) Option {
	return optionFunc(func(o *options) { o.reportEvery = d })
}

// WithFileRoots names the directories under which a config pushed under
// full reconfiguration ([WithFull]) may open files: a file handler's path
// (a FileHandler, RotatingFileHandler, WatchedFileHandler, ..., or any
// handler whose first argument or filename keyword is a path) must be
// absolute and, cleaned and with its directory's symbolic links resolved,
// lie under one of them. With none (the default) a pushed config may open
// no file at all. The push that breaks the rule is rejected, naming the
// handler and the path.
func WithFileRoots(dirs ...string) Option {
	return optionFunc(func(o *options) { o.fileRoots = append(o.fileRoots, dirs...) })
}

// WithMaxConns caps the connections served at once (default 16). An extra
// connection gets the greeting and a rejected reply, and is closed; such
// connections are counted and reported once per [WithReportInterval].
func WithMaxConns(n int) Option {
	return optionFunc(func(o *options) { o.maxConns = n })
}

// WithFull lets a request replace handlers and formatters too, when it
// asks ("full": true in its envelope). Without it (the default) the
// network changes levels only and every other difference is reported as
// ignored. Start refuses WithFull(true) without authentication
// ([WithSecretFile] or [WithVerify]); files may then be opened only under
// [WithFileRoots], and a pushed format is capped at [MaxPushedFormat]
// bytes and [MaxPushedFormatFields] fields.
func WithFull(allow bool) Option {
	return optionFunc(func(o *options) { o.full = allow })
}

// WithSecretFile turns on authentication: the file holds the shared secret
// (surrounding white space is trimmed; it must not be empty), and every
// request must then be an envelope signed with it (see the package doc,
// # Authentication). It is read once, by Start.
func WithSecretFile(path string) Option {
	return optionFunc(func(o *options) { o.secretFile = path })
}

// WithVerify sets a hook, like the verify argument of Python's
// logging.config.listen: it gets each frame's payload as received and
// returns the bytes to use instead, or an error to reject the request. It
// runs before anything else looks at the payload (and so before
// authentication).
func WithVerify(verify func([]byte) ([]byte, error)) Option {
	return optionFunc(func(o *options) { o.verify = verify })
}

// WithMaxTemporary sets a ceiling d: a push that makes logging more
// verbose than it was (a logger's effective level or a handler's level
// lower after the push) becomes temporary and reverts after at most d
// (after d when it asked for no duration or a longer one); a push that
// only makes logging quieter is never made temporary. 0 (the default) sets
// no ceiling. Forgotten debug levels fill disks.
func WithMaxTemporary(d time.Duration) Option {
	return optionFunc(func(o *options) { o.maxTemp = d })
}

// Hooks are called after each apply and each rejection, from the
// goroutine that serves the connection (or the tree's revert timer). They
// must not block for long.
type Hooks struct {
	// OnApply is called after the listener applied a config: a push, or
	// the revert of a temporary change.
	OnApply func(res *logcfg.ApplyResult)
	// OnReject is called with the reason whenever a request or a
	// connection is rejected.
	OnReject func(reason string)
	// AroundApply, if set, wraps every apply the listener makes (a push or
	// the revert of a temporary change, which the tree runs): it must call
	// apply exactly once and return its error.
	// Under systemd, service.Reload fits, so that pushes take part in the
	// reload handshake (RELOADING=1 ... READY=1):
	//
	//	listener.WithHooks(listener.Hooks{AroundApply: service.Reload})
	AroundApply func(apply func() error) error
}

// WithHooks sets callbacks for applies and rejections.
func WithHooks(h Hooks) Option {
	return optionFunc(func(o *options) { o.hooks = h })
}

// WithProcessName sets the name sent in greetings, replies and status
// (default: the base name of os.Args[0]), e.g. "Worker #1".
func WithProcessName(name string) Option {
	return optionFunc(func(o *options) { o.name = name })
}

// WithClock sets the clock used for status times and the freshness of
// signatures (default: the system clock); temporary changes run on the
// tree's clock (logcfg.WithClock). Tests pass a clock they step by hand.
// Network deadlines always use the system clock.
func WithClock(c Clock) Option {
	return optionFunc(func(o *options) { o.clock = c })
}

// WithLogger sets the logger for the listener's own events (default:
// tree.Logger("livelog.listener")).
func WithLogger(l *zap.Logger) Option {
	return optionFunc(func(o *options) { o.logger = l })
}

// Clock tells the time and runs functions later. [WithClock] replaces the
// system clock with one a test controls.
type Clock = logcfg.Clock

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

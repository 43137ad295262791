package handlers

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/internal/pylit"
)

var smtpSig = signature{"SMTPHandler", []string{"mailhost", "fromaddr", "toaddrs", "subject", "credentials", "secure", "timeout"}, 4}

type smtpArgs struct {
	host, addr        string
	from              string
	to                []string
	subject           string
	user, pass        string
	login             bool
	secure            bool          // STARTTLS before logging in
	certFile, keyFile string        // secure=(keyfile, certfile): a client certificate
	timeout           time.Duration // 0: none
}

func smtpArgsOf(a Args) (smtpArgs, error) {
	got, err := smtpSig.bind(a)
	if err != nil {
		return smtpArgs{}, err
	}
	sa := smtpArgs{timeout: 5 * time.Second}
	bad := func(arg, want string, v pylit.Value) error {
		return fmt.Errorf("%w: SMTPHandler %s must be %s, not %s", ErrBadArgs, arg, want, pylit.Describe(v))
	}
	switch mh := got["mailhost"]; {
	case mh.Kind == pylit.KindString && strings.Contains(mh.Str, ":"):
		// Python's emit connects to port 25 of a host named "host:port",
		// and fails on every record.
		return sa, bad("mailhost", "a host name (port 25) or a tuple ('host', port)", mh)
	case mh.Kind == pylit.KindString && mh.Str != "":
		sa.host, sa.addr = mh.Str, net.JoinHostPort(mh.Str, "25")
	case mh.Kind == pylit.KindTuple && len(mh.Items) == 2 && mh.Items[0].Kind == pylit.KindString && mh.Items[0].Str != "" &&
		mh.Items[1].Kind == pylit.KindInt && mh.Items[1].Int > 0 && mh.Items[1].Int < 65536:
		sa.host, sa.addr = mh.Items[0].Str, net.JoinHostPort(mh.Items[0].Str, strconv.FormatInt(mh.Items[1].Int, 10))
	default:
		return sa, bad("mailhost", "a host name or a tuple ('host', port)", mh)
	}
	if v := got["fromaddr"]; v.Kind != pylit.KindString || v.Str == "" {
		return sa, bad("fromaddr", "an address string", v)
	} else {
		sa.from = v.Str
	}
	switch v := got["toaddrs"]; v.Kind {
	case pylit.KindString:
		sa.to = []string{v.Str}
	case pylit.KindTuple:
		for _, it := range v.Items {
			if it.Kind != pylit.KindString || it.Str == "" {
				return sa, bad("toaddrs", "an address or a list of addresses", it)
			}
			sa.to = append(sa.to, it.Str)
		}
	default:
		return sa, bad("toaddrs", "an address or a list of addresses", v)
	}
	if len(sa.to) == 0 || sa.to[0] == "" {
		return sa, fmt.Errorf("%w: SMTPHandler toaddrs names no address", ErrBadArgs)
	}
	if v := got["subject"]; v.Kind != pylit.KindString {
		return sa, bad("subject", "a string", v)
	} else {
		sa.subject = v.Str
	}
	if v, ok := got["credentials"]; ok && v.Kind != pylit.KindNone {
		// Python ignores credentials that are not a tuple or list; that
		// is always a mistake, so it is an error here.
		if sa.user, sa.pass, ok = credentials(v); !ok {
			return sa, bad("credentials", "a tuple ('user', 'password')", v)
		}
		sa.login = true
	}
	if v, ok := got["secure"]; ok && v.Kind != pylit.KindNone {
		switch {
		case v.Kind == pylit.KindTuple && len(v.Items) == 0:
		case v.Kind == pylit.KindTuple && len(v.Items) == 2 && v.Items[0].Kind == pylit.KindString && v.Items[1].Kind == pylit.KindString:
			sa.keyFile, sa.certFile = v.Items[0].Str, v.Items[1].Str
		case v.Kind == pylit.KindTuple && len(v.Items) == 1:
			// Python: ValueError("certfile must be specified"), on every record.
			return sa, fmt.Errorf("%w: SMTPHandler secure=(keyfile,) needs a certfile too: (keyfile, certfile)", ErrBadArgs)
		default:
			return sa, bad("secure", "None, () or a tuple (keyfile, certfile)", v)
		}
		// As in Python, STARTTLS is used only with credentials.
		sa.secure = sa.login
	}
	if v, ok := got["timeout"]; ok {
		switch {
		case v.Kind == pylit.KindNone:
			sa.timeout = 0
		case v.Kind == pylit.KindInt && v.Int > 0 && v.Int <= 86400:
			sa.timeout = time.Duration(v.Int) * time.Second
		case v.Kind == pylit.KindFloat && v.Float > 0 && v.Float <= 86400:
			sa.timeout = time.Duration(v.Float * float64(time.Second))
		default:
			return sa, bad("timeout", "a number of seconds above 0 (at most a day) or None", v)
		}
	}
	return sa, nil
}

func checkSMTP(a Args) error { _, err := smtpArgsOf(a); return err }

// openSMTP starts an SMTPHandler: each record is one mail, sent off the
// logging path in its own SMTP session, as Python's emit does.
func openSMTP(a Args, newEnc EncoderFunc) (Output, error) {
	sa, err := smtpArgsOf(a)
	if err != nil {
		return Output{}, err
	}
	t, err := newSMTPTransport(sa, nil)
	if err != nil {
		return Output{}, err
	}
	enc, err := newEnc(nil)
	if err != nil {
		return Output{}, err
	}
	headers := mailHeaders(sa.from, sa.to, sa.subject)
	s := startSender("SMTPHandler "+sa.addr, t, func(dst []byte, ent zapcore.Entry, text []byte) []byte {
		return appendMail(dst, headers, ent.Time, text)
	})
	return Output{Core: NewCore(enc, s), Close: s.Close}, nil
}

type smtpTransport struct {
	args     smtpArgs
	from     string   // the envelope sender
	to       []string // the envelope recipients
	tls      *tls.Config
	hostname string // what EHLO says
	ctx      context.Context
	cancel   context.CancelFunc
	held[net.Conn]
}

// newSMTPTransport makes the transport; roots (nil: the system's) are
// what the server's certificate is checked against.
func newSMTPTransport(sa smtpArgs, cfg *tls.Config) (*smtpTransport, error) {
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg = cfg.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = sa.host
	}
	if sa.certFile != "" {
		cert, err := tls.LoadX509KeyPair(sa.certFile, sa.keyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: SMTPHandler secure=(keyfile, certfile): %w", ErrOpen, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	t := &smtpTransport{args: sa, from: envelope(sa.from), tls: cfg}
	for _, a := range sa.to {
		t.to = append(t.to, envelope(a))
	}
	t.hostname, _ = os.Hostname()
	if t.hostname == "" {
		t.hostname = "localhost"
	}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	return t, nil
}

// envelope is the address in "Name <addr>", as send_message takes it
// with email.utils.getaddresses.
func envelope(a string) string {
	if p, err := mail.ParseAddress(a); err == nil {
		return p.Address
	}
	return a
}

// deadlineConn gives each read and write the timeout, as Python's socket
// timeout does.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c deadlineConn) Read(p []byte) (int, error) {
	if c.timeout > 0 {
		_ = c.SetReadDeadline(time.Now().Add(c.timeout))
	}
	return c.Conn.Read(p)
}

func (c deadlineConn) Write(p []byte) (int, error) {
	if c.timeout > 0 {
		_ = c.SetWriteDeadline(time.Now().Add(c.timeout))
	}
	return c.Conn.Write(p)
}

// deliver is one SMTP session, as SMTPHandler.emit: connect, EHLO; with
// credentials STARTTLS (if secure) and AUTH; MAIL, RCPT, DATA, QUIT.
func (t *smtpTransport) deliver(msg []byte, quit <-chan struct{}) error {
	select {
	case <-quit:
		return errClosing
	default:
	}
	d := net.Dialer{Timeout: t.args.timeout}
	conn, err := d.DialContext(t.ctx, "tcp", t.args.addr)
	if err != nil {
		return err
	}
	t.mu.Lock()
	if t.aborted {
		t.mu.Unlock()
		_ = conn.Close()
		return errClosing
	}
	t.conn, t.has = conn, true
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.dropLocked()
		t.mu.Unlock()
	}()
	c, err := smtp.NewClient(deadlineConn{conn, t.args.timeout}, t.args.host)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", t.args.addr, err)
	}
	if err := t.session(c, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", t.args.addr, err)
	}
	return nil
}

func (t *smtpTransport) session(c *smtp.Client, msg []byte) error {
	if err := c.Hello(t.hostname); err != nil {
		return err
	}
	if t.args.login {
		if t.args.secure {
			if err := c.StartTLS(t.tls); err != nil {
				return fmt.Errorf("STARTTLS: %w", err)
			}
		}
		if err := t.auth(c); err != nil {
			return err
		}
	}
	if err := c.Mail(t.from); err != nil {
		return err
	}
	for _, to := range t.to {
		if err := c.Rcpt(to); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// auth logs in with the first mechanism of Python's smtplib order
// (CRAM-MD5, PLAIN, LOGIN) that the server offers. PLAIN and LOGIN are
// refused (by net/smtp's rule) on a connection that is neither TLS nor to
// localhost, where Python would send the password in clear.
func (t *smtpTransport) auth(c *smtp.Client) error {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return errors.New("the server offers no AUTH (SMTP AUTH extension not supported by server)")
	}
	offered := strings.Fields(strings.ToUpper(mechs))
	has := func(m string) bool {
		for _, o := range offered {
			if o == m {
				return true
			}
		}
		return false
	}
	var a smtp.Auth
	switch {
	case has("CRAM-MD5"):
		a = smtp.CRAMMD5Auth(t.args.user, t.args.pass)
	case has("PLAIN"):
		a = smtp.PlainAuth("", t.args.user, t.args.pass, t.args.host)
	case has("LOGIN"):
		a = loginAuth{plain: smtp.PlainAuth("", t.args.user, t.args.pass, t.args.host), user: t.args.user, pass: t.args.pass}
	default:
		return fmt.Errorf("no AUTH mechanism in common with the server (it offers %q)", mechs)
	}
	if err := c.Auth(a); err != nil {
		return fmt.Errorf("AUTH: %w", err)
	}
	return nil
}

// loginAuth is the LOGIN mechanism: the user name and the password, each
// when the server asks. Its Start applies PLAIN's rule on clear text.
type loginAuth struct {
	plain      smtp.Auth
	user, pass string
}

func (a loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if _, _, err := a.plain.Start(server); err != nil {
		return "", nil, err
	}
	return "LOGIN", nil, nil
}

func (a loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	if strings.HasPrefix(strings.ToLower(string(challenge)), "user") {
		return []byte(a.user), nil
	}
	return []byte(a.pass), nil
}

func (t *smtpTransport) abort() {
	t.cancel()
	t.held.abort()
}

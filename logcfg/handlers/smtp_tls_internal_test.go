package handlers

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/livelog/livelog/internal/lltest"
	"github.com/livelog/livelog/internal/pylit"
)

// testCert is a self-signed certificate for 127.0.0.1.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "livelog test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// smtpServer is an SMTP server written against the protocol (RFC 5321,
// 3207 STARTTLS, 4954 AUTH with PLAIN, LOGIN and CRAM-MD5): it records
// each session's commands (verbs upper-cased; EHLO without its name;
// AUTH as the mechanism and whether the credentials were right).
type smtpServer struct {
	ln    net.Listener
	cert  tls.Certificate
	auths string // the mechanisms EHLO offers

	mu       sync.Mutex
	sessions [][]string
}

const smtpUser, smtpPass = "logs", "s3cret pass"

func startSMTPServer(t *testing.T, cert tls.Certificate, auths string) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &smtpServer{ln: ln, cert: cert, auths: auths}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// session waits for the n-th finished session.
func (s *smtpServer) session(t *testing.T, n int) []string {
	t.Helper()
	lltest.WaitFor(t, 20*time.Second, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.sessions) > n
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[n]
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	var log []string
	defer func() {
		s.mu.Lock()
		s.sessions = append(s.sessions, log)
		s.mu.Unlock()
	}()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	r, w := bufio.NewReader(c), c
	reply := func(format string, args ...any) { fmt.Fprintf(w, format+"\r\n", args...) }
	line := func() (string, bool) {
		l, err := r.ReadString('\n')
		return strings.TrimRight(l, "\r\n"), err == nil
	}
	secure := false
	reply("220 livelog-test ESMTP")
	for {
		l, ok := line()
		if !ok {
			return
		}
		verb, arg, _ := strings.Cut(l, " ")
		verb = strings.ToUpper(verb)
		switch verb {
		case "EHLO":
			log = append(log, "EHLO")
			reply("250-livelog-test")
			if !secure {
				reply("250-STARTTLS")
			}
			reply("250 AUTH %s", s.auths)
		case "STARTTLS":
			log = append(log, verb)
			reply("220 go ahead")
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{s.cert}})
			if tc.Handshake() != nil {
				log = append(log, "handshake failed")
				return
			}
			r, w, secure = bufio.NewReader(tc), tc, true
		case "AUTH":
			mech, initial, _ := strings.Cut(arg, " ")
			ok := s.auth(strings.ToUpper(mech), initial, reply, line)
			log = append(log, fmt.Sprintf("AUTH %s secure=%v ok=%v", strings.ToUpper(mech), secure, ok))
			if ok {
				reply("235 ok")
			} else {
				reply("535 no")
			}
		case "MAIL", "RCPT":
			log = append(log, verb+" "+arg)
			reply("250 ok")
		case "DATA":
			log = append(log, verb)
			reply("354 go on")
			for {
				l, ok := line()
				if !ok || l == "." {
					break
				}
			}
			reply("250 queued")
		case "QUIT":
			log = append(log, verb)
			reply("221 bye")
			return
		default:
			reply("502 unknown")
		}
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(s string) string {
	b, _ := base64.StdEncoding.DecodeString(s)
	return string(b)
}

// auth runs one AUTH exchange and says whether the credentials were right.
func (s *smtpServer) auth(mech, initial string, reply func(string, ...any), line func() (string, bool)) bool {
	ask := func(challenge string) string {
		reply("334 %s", b64(challenge))
		l, _ := line()
		return unb64(l)
	}
	switch mech {
	case "PLAIN":
		resp := unb64(initial)
		if initial == "" {
			resp = ask("")
		}
		return resp == "\x00"+smtpUser+"\x00"+smtpPass
	case "LOGIN":
		user := unb64(initial)
		if initial == "" {
			user = ask("Username:")
		}
		return user == smtpUser && ask("Password:") == smtpPass
	case "CRAM-MD5":
		challenge := "<1234.5678@livelog-test>"
		h := hmac.New(md5.New, []byte(smtpPass))
		h.Write([]byte(challenge))
		return ask(challenge) == smtpUser+" "+hex.EncodeToString(h.Sum(nil))
	}
	return false
}

// With credentials and secure=(), SMTPHandler runs the session CPython's
// SMTPHandler runs against the same server, command for command:
// EHLO, STARTTLS, EHLO over TLS, AUTH with the mechanism smtplib prefers
// of those offered (CRAM-MD5, then PLAIN, then LOGIN), MAIL, RCPT for
// each address, DATA, QUIT. Without secure it logs in on the clear
// connection to 127.0.0.1, as Python does.
func TestSMTPHandlerStartTLSAndAuth(t *testing.T) {
	cert, roots := testCert(t)
	for _, c := range []struct{ auths, secure, used string }{
		{"CRAM-MD5 PLAIN LOGIN", "()", "CRAM-MD5"},
		{"LOGIN PLAIN", "()", "PLAIN"},
		{"LOGIN", "()", "LOGIN"},
		{"PLAIN", "None", "PLAIN"},
	} {
		t.Run(c.auths+" secure="+c.secure, func(t *testing.T) {
			srv := startSMTPServer(t, cert, c.auths)
			args := fmt.Sprintf("(('127.0.0.1', %d), 'logs@example.com', ['ops@example.com', 'dev@example.com'], 'Error', ('%s', '%s'), %s, 5)",
				srv.port(), smtpUser, smtpPass, c.secure)
			lltest.RunPython(t, time.Minute, `
import ast, logging, logging.handlers, sys
h = logging.handlers.SMTPHandler(*ast.literal_eval(sys.argv[1]))
def fail(record):
    raise
h.handleError = fail
log = logging.getLogger("app")
log.addHandler(h)
log.error("boom")
`, args)
			python := srv.session(t, 0)

			a := Args{Class: "SMTPHandler"}
			sa, err := smtpArgsOf(classArgsInternal(t, a, args))
			require.NoError(t, err)
			tr, err := newSMTPTransport(sa, &tls.Config{RootCAs: roots})
			require.NoError(t, err)
			msg := appendMail(nil, mailHeaders(sa.from, sa.to, sa.subject), time.Now(), []byte("ERROR boom\n"))
			require.NoError(t, tr.deliver(msg, make(chan struct{})))
			assert.Equal(t, python, srv.session(t, 1))
			assert.Contains(t, python, fmt.Sprintf("AUTH %s secure=%v ok=true", c.used, c.secure == "()"))
		})
	}
}

// STARTTLS checks the server's certificate against the system's roots
// (where Python's smtplib checks nothing): a self-signed server gets no
// credentials, and the session fails with an error naming the certificate.
func TestSMTPHandlerChecksCertificate(t *testing.T) {
	cert, _ := testCert(t)
	srv := startSMTPServer(t, cert, "PLAIN")
	args := fmt.Sprintf("(('127.0.0.1', %d), 'logs@example.com', 'ops@example.com', 'Error', ('%s', '%s'), ())", srv.port(), smtpUser, smtpPass)
	a := classArgsInternal(t, Args{Class: "SMTPHandler"}, args)
	sa, err := smtpArgsOf(a)
	require.NoError(t, err)
	tr, err := newSMTPTransport(sa, nil)
	require.NoError(t, err)
	err = tr.deliver([]byte("x\r\n"), make(chan struct{}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
	assert.NotContains(t, strings.Join(srv.session(t, 0), "\n"), "AUTH", "no credentials sent")
}

// classArgsInternal is a with the args= text as a config gives it.
func classArgsInternal(t *testing.T, a Args, args string) Args {
	t.Helper()
	v, err := pylit.Parse(args, nil)
	require.NoError(t, err)
	require.Equal(t, pylit.KindTuple, v.Kind)
	a.Args = v.Items
	return a
}

// Package listener lets a running process be retuned from outside: it
// serves a TCP config channel, compatible with Python's
// logging.config.listen, through which an operator pushes a config that
// is applied to a [logcfg.Tree] within milliseconds. By default it binds
// the first free port of 127.0.0.1:9001–9030, lets the network change
// levels only, evaluates nothing, and answers every request with what it
// did.
//
//	tree, err := logcfg.FromEnv("logger_config")
//	if err != nil { ... }
//	l, err := listener.Start(tree, listener.WithProcessName("Worker #1"))
//	if errors.Is(err, listener.ErrNoFreePort) {
//		// run without a config channel
//	}
//	defer l.Close()
//
// The byte-level protocol is in docs/PROTOCOL.md; this is its summary.
//
// # Frames
//
// Every message, both ways, is a 4-byte big-endian length and that many
// payload bytes. A frame setting app.db to DEBUG:
//
//	00000000  00 00 00 47 7b 22 76 65 72 73 69 6f 6e 22 3a 31  |...G{"version":1|
//	00000010  2c 22 69 6e 63 72 65 6d 65 6e 74 61 6c 22 3a 74  |,"incremental":t|
//	00000020  72 75 65 2c 22 6c 6f 67 67 65 72 73 22 3a 7b 22  |rue,"loggers":{"|
//	00000030  61 70 70 2e 64 62 22 3a 7b 22 6c 65 76 65 6c 22  |app.db":{"level"|
//	00000040  3a 22 44 45 42 55 47 22 7d 7d 7d                 |:"DEBUG"}}}|
//
// A length over the cap ([WithMaxPayload], 1 MiB) is rejected before
// anything is allocated: an HTTP request's "GET " reads as 1195725856. A
// frame must arrive within the read timeout ([WithReadTimeout], 5 s) once
// started; at most [WithMaxConns] (16) connections are served at once.
// A frame that breaks the framing (too long, cut short, too slow) is
// answered and its connection closed; other rejections keep it open.
//
// # Greeting
//
// The listener speaks first: on each connection it sends a Hello frame
// before reading anything, so a client can tell a livelog listener from
// any other program (a Python listener, a web server) without writing a
// byte to it:
//
//	00000000  00 00 00 54 7b 22 6c 69 76 65 6c 6f 67 22 3a 31  |...T{"livelog":1|
//	00000010  2c 22 70 69 64 22 3a 34 32 34 32 2c 22 6e 61 6d  |,"pid":4242,"nam|
//	00000020  65 22 3a 22 57 6f 72 6b 65 72 20 23 31 22 2c 22  |e":"Worker #1","|
//	00000030  67 65 6e 65 72 61 74 69 6f 6e 22 3a 33 2c 22 61  |generation":3,"a|
//	00000040  75 74 68 22 3a 66 61 6c 73 65 2c 22 66 75 6c 6c  |uth":false,"full|
//	00000050  22 3a 66 61 6c 73 65 7d                          |":false}|
//
// # Requests
//
// A request is a bare config, as a Python client sends it (fileConfig INI,
// or dictConfig JSON including "incremental": true; a payload that parses
// as a JSON object is JSON, and an error in it is reported, never retried
// as INI; a dictConfig in YAML too, see logcfg.ParsePayload), or an envelope: a JSON object with the key "livelog" carrying
// op ("apply" or "status"), config, source, for (a temporary change),
// full, defaults and auth. Nothing is ever evaluated.
//
// A request changes levels only, listing every other difference as
// ignored, unless the listener allows full reconfiguration ([WithFull])
// and the request asks for it ("full": true). A bare config cannot ask.
//
// A Python client sends a frame and closes without reading the greeting;
// the frame already received is still applied.
//
// # Replies
//
// Each request frame gets a reply frame: applied or rejected, why, pid,
// process name, config generation, each level that changed (old → new,
// Python names), each difference ignored, and when a temporary change
// expires:
//
//	{"livelog":1,"ok":true,"outcome":"applied","pid":4242,"name":"Worker #1","generation":4,
//	 "changes":[{"kind":"logger","name":"root","old":"INFO","new":"DEBUG"}]}
//
// Every rejection (oversize, truncated, too slow, not UTF-8, bad config,
// bad envelope, authentication, too many connections) says why in the
// reply, is logged as a WARNING by the listener's logger
// ("livelog.listener" of the tree unless [WithLogger]), calls
// Hooks.OnReject, and leaves the running config exactly as it was.
//
// A request with "dry_run": true is answered (outcome "dry-run") with what
// it would change and ignore under the listener's policy, from the tree's
// plan, and changes nothing. Every reply to a config lists its warnings
// (what Python would silently ignore). The greeting lists these additions
// in "features", so a client knows whether a listener understands them.
//
// # Status
//
// {"livelog":1,"op":"status"} changes nothing and is answered with pid,
// name, start time and uptime, generation, the last change (when, its
// source in words — "push from 127.0.0.1", "SIGHUP reload", "revert to
// generation 3 (push from 127.0.0.1)" — which file, a summary), every
// logger's own and effective level, the last 20 changes (applied and
// rejected, newest first), and the time left on a temporary change.
//
// # Audit
//
// Every push, set and revert the listener applies, and every request it
// rejects, is logged at INFO on the tree's logger "livelog.audit"
// ([logcfg.AuditLogger]): who (the peer, and the key id "sha256:" + 12 hex
// digits when signed), what (old → new), the source, the file and the
// expiry. It follows the running config's levels like any logger. [Listener.Status] gives the
// same in process, as a [Status], whose JSON form is the reply's "status"
// object.
//
// # Temporary changes
//
// A push with a duration ("for": "10m", pushcfg --for 10m) is a temporary
// change of the tree ([logcfg.Tree.ApplyFor]): the listener passes the
// duration on, and the tree reverts it, whether or not the listener still
// runs ([logcfg.Tree.Close] cancels pending reverts). The rule, the
// tree's, is:
//
//	what happens while a temporary change T is in force       when T ends
//	nothing                                                    the config from before T is applied again (exact restore)
//	another temporary push U                                   each level T changed and U did not goes back; U ends on its own time
//	a permanent push, a reload, or the application's Apply     T ends at once: nothing reverts, the newer config stands
//	a permanent change of single levels (incremental, set)     those levels stay; T's other levels go back
//
// [WithMaxTemporary] sets a ceiling d ([logcfg.CapVerbose]): a push that
// makes logging more verbose than it was — any logger's effective level
// lower after the push than before (NOTSET→DEBUG under an INFO parent
// included), or any handler's level lower — reverts after at most d,
// whatever it asked for. A push that only makes logging quieter is never
// made temporary, so removing a DEBUG level is permanent and the DEBUG
// does not come back.
//
// Precedence: the latest apply wins. The config file is applied at start
// and whenever the application reloads it (SIGHUP, a file change); a push
// then changes the running config until the next reload or push.
//
// # Authentication
//
// Off by default; binding a non-loopback address requires it. With
// [WithSecretFile], every request must be an envelope signed with the
// shared secret: auth carries ts (Unix seconds), a nonce, and the hex
// HMAC-SHA256 over the canonical bytes of ts, nonce, op, for, full,
// source, defaults and config (exact layout in docs/PROTOCOL.md and
// wire.Canonical). Unsigned, wrongly signed, stale (more than 5 minutes
// off the listener's clock) and replayed (nonce seen before) requests are
// rejected. [WithVerify] adds a hook like Python's verify, which sees each
// payload before anything else.
//
// # HTTP endpoint
//
// [HTTPHandler] serves the same levels over HTTP, in the shape of Spring
// Boot Actuator's loggers endpoint, for a program that already runs an
// HTTP server: a POST is applied as a set is (levels only, the same
// temporary changes, hooks, history and audit); requests carry the secret
// as a bearer token, or come from loopback when there is none.
//
// # Operating systems
//
// The listener is plain TCP and works the same on every OS; only telling
// a taken port from a bad address differs. On Windows a port counts as
// taken when bind fails with WSAEADDRINUSE or WSAEACCES (a port held for
// exclusive use, or in a range Windows reserves for Hyper-V and the like:
// netsh interface ipv4 show excludedportrange), so the scan moves on as it
// does on EADDRINUSE elsewhere. Windows also lets 127.0.0.1:port be bound
// while another program of the same user holds 0.0.0.0:port; that port is
// not seen as taken, and connections to 127.0.0.1 reach the listener.
package listener

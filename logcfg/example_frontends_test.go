package logcfg_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/livelog/livelog/logcfg"
)

// slog through the tree: the same levels, handlers and format as the zap
// logger of the same name; groups are dotted keys in a text format.
func ExampleTree_Slog() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	log := tree.Slog("app")
	log.Info("started", "port", 8080, slog.Group("tls", "on", true))
	log.With("req", 7).Warn("slow", "took", 1500*time.Millisecond)
	tree.Slog("app.db").Info("connected") // below app.db's WARNING
	tree.Logger("app").Info("zap, side by side", zap.Int("port", 8080))
	// Output:
	// INFO:app:started port=8080 tls.on=true
	// WARNING:app:slow req=7 took=1.5s
	// INFO:app:zap, side by side port=8080
}

// The standard log package into the tree, at the level chosen.
func ExampleTree_RedirectStdLog() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	restore := tree.RedirectStdLog("dep.client", zapcore.WarnLevel)
	defer restore()
	log.Printf("retrying in %s", time.Second)
	// Output:
	// WARNING:dep.client:retrying in 1s
}

// logr for controller-runtime and client-go: V(0) is INFO, V(1) and
// beyond DEBUG.
func ExampleTree_Logr() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "DEBUG"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	log := tree.Logr("app.db")
	log.Info("reconciled", "objects", 3)
	log.V(1).Info("detail")                 // DEBUG: app.db is at DEBUG
	tree.Logr("app").V(1).Info("not shown") // app inherits INFO
	log.WithName("cache").Error(errors.New("timeout"), "sync failed")
	// Output:
	// INFO:app.db:reconciled objects=3
	// DEBUG:app.db:detail
	// ERROR:app.db.cache:sync failed error=timeout
}

// Levels from code: SetLevel changes one logger, NotSet gives it back to
// inheritance; SetLevelFor reverts by itself.
func ExampleTree_SetLevel() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()
	// Every change is audited on livelog.audit at INFO; this example keeps
	// that logger quiet (the change below is the last one it records).
	if _, err := tree.SetLevel(logcfg.AuditLogger, zapcore.WarnLevel); err != nil {
		panic(err)
	}

	res, err := tree.SetLevel("app.db", zapcore.DebugLevel)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Changes)
	tree.Slog("app.db").Debug("now visible")
	if _, err := tree.SetLevel("app.db", logcfg.NotSet); err != nil {
		panic(err)
	}
	tree.Slog("app.db").Debug("hidden again")
	tree.Slog("app.db").Info("INFO, inherited from the root")
	if _, err := tree.SetLevelFor("app", zapcore.DebugLevel, 10*time.Minute); err != nil {
		panic(err)
	}
	for _, l := range tree.Loggers() {
		fmt.Println(l.Name, logcfg.LevelName(l.Level), logcfg.LevelName(l.Effective), l.Configured)
	}
	// Output:
	// [logger app.db: WARNING -> DEBUG]
	// DEBUG:app.db:now visible
	// INFO:app.db:INFO, inherited from the root
	// root INFO INFO true
	// app DEBUG DEBUG true
	// app.db NOTSET DEBUG false
	// livelog.audit WARNING WARNING true
}

// One request at DEBUG: the context's floor lets its records through every
// named logger it passes, and no other request's.
func ExampleWithLevel() {
	tree, err := logcfg.NewTree(exampleConfig("INFO", "WARNING"))
	if err != nil {
		panic(err)
	}
	defer tree.Close()

	handle := func(ctx context.Context, id int) {
		tree.Slog("app.http").DebugContext(ctx, "request", "id", id)
		tree.LoggerContext(ctx, "app.db").Debug("query", zap.Int("id", id))
	}
	handle(context.Background(), 1)
	handle(logcfg.WithLevel(context.Background(), zapcore.DebugLevel), 2)
	// Output:
	// DEBUG:app.http:request id=2
	// DEBUG:app.db:query id=2
}

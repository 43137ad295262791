//go:build !race

package logcfg

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

func init() {
	// test.DiscardHandler encodes every record with its formatter and
	// writes it to io.Discard: the whole cost of a line but the write.
	RegisterHandlerClass("test.DiscardHandler", HandlerClass{
		Check: func(h *HandlerConfig) error {
			if len(h.Args)+len(h.Kwargs) > 0 {
				return fmt.Errorf("%w: test.DiscardHandler takes no arguments", ErrBadArgs)
			}
			return nil
		},
		Open: func(_ *HandlerConfig, newEnc EncoderFunc) (Output, error) {
			enc, err := newEnc(nil)
			if err != nil {
				return Output{}, err
			}
			return Output{Core: zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.DebugLevel)}, nil
		},
	})
}

// colourDiscard is a tree whose root (INFO) writes through a colour
// format that shows the caller's function to io.Discard, and the plain
// zap logger it is measured against: AddCaller and the console encoder,
// also to io.Discard.
func colourDiscard(t testing.TB) (*Tree, *zap.Logger) {
	tree, err := NewTree(newINI().logger("root", "INFO", "d", true).
		handler("d", "test.DiscardHandler", "", "c", "()").
		formatter("c", "%(asctime)s $COLOR%(levelname)-8s$RESET %(name)s %(funcName)s: %(message)s",
			"class=ColorFormatter", "color=always").config(t))
	require.NoError(t, err)
	enc := zapcore.NewConsoleEncoder(zap.NewDevelopmentEncoderConfig())
	plain := zap.New(zapcore.NewCore(enc, zapcore.AddSync(io.Discard), zapcore.InfoLevel), zap.AddCaller())
	return tree, plain
}

func infoWith3Fields(l *zap.Logger) {
	l.Info("request done", zap.Int("status", 200), zap.String("path", "/v1/items"), zap.Duration("took", 3*time.Millisecond))
}

func TestLiveAllocDisabledCall(t *testing.T) {
	tree, _ := colourDiscard(t)
	defer tree.Close()
	log := tree.Logger("app.db")
	assert.Zero(t, testing.AllocsPerRun(500, func() { log.Debug("off") }))
	assert.Zero(t, testing.AllocsPerRun(500, func() { tree.Logger("app.db").Debug("off") }), "looking the logger up again")
	assert.Zero(t, testing.AllocsPerRun(500, func() {
		if ce := log.Check(zapcore.DebugLevel, "off"); ce != nil {
			ce.Write()
		}
	}))
	with := log.With(zap.String("req", "r1"))
	assert.Zero(t, testing.AllocsPerRun(500, func() { with.Debug("off") }))
}

func TestLiveAllocEnabledNoMoreThanZap(t *testing.T) {
	tree, plain := colourDiscard(t)
	defer tree.Close()
	require.True(t, tree.state.Load().needCaller, "the format shows funcName")
	log := tree.Logger("app")
	infoWith3Fields(log) // the first write of a generation builds the route
	ours := testing.AllocsPerRun(500, func() { infoWith3Fields(log) })
	theirs := testing.AllocsPerRun(500, func() { infoWith3Fields(plain) })
	t.Logf("Info with 3 fields: tree %.1f allocs, zap+AddCaller+console %.1f", ours, theirs)
	assert.LessOrEqual(t, ours, theirs)

	// A With logger, after the first write of a generation (which builds
	// its per-handler cores), and again after an apply.
	with, plainWith := log.With(zap.String("req", "r1")), plain.With(zap.String("req", "r1"))
	infoWith3Fields(with)
	oursWith := testing.AllocsPerRun(500, func() { infoWith3Fields(with) })
	theirsWith := testing.AllocsPerRun(500, func() { infoWith3Fields(plainWith) })
	t.Logf("With logger: tree %.1f allocs, zap %.1f", oursWith, theirsWith)
	assert.LessOrEqual(t, oursWith, theirsWith)

	_, err := tree.Apply(tree.Config(), Full)
	require.NoError(t, err)
	infoWith3Fields(with)
	assert.LessOrEqual(t, testing.AllocsPerRun(500, func() { infoWith3Fields(with) }), theirsWith, "after an apply")
}

// BenchmarkLiveInfo measures the same call through the tree and through
// plain zap (go test -run ^$ -bench LiveInfo -benchmem ./logcfg).
func BenchmarkLiveInfo(b *testing.B) {
	tree, plain := colourDiscard(b)
	defer tree.Close()
	for name, l := range map[string]*zap.Logger{"tree": tree.Logger("app"), "zap": plain} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				infoWith3Fields(l)
			}
		})
	}
	b.Run("tree-disabled", func(b *testing.B) {
		l := tree.Logger("app")
		b.ReportAllocs()
		for b.Loop() {
			l.Debug("off")
		}
	})
}

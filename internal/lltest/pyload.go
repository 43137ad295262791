package lltest

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// pythonLoad loads argv[1] with CPython (dictConfig for a .json file,
// fileConfig with the default dir=argv[3] otherwise) and sends one
// CRITICAL record through every handler. It writes why CPython rejects
// the config or fails on the record (handleError), or null, to argv[2]
// (stdout belongs to the config's handlers).
const pythonLoad = `
import json, logging, logging.config, sys
fails = []
logging.Handler.handleError = lambda self, record: fails.append("%s: %s" % (self.name, sys.exc_info()[1]))
path, verdict, d = sys.argv[1:4]
def say(v):
    with open(verdict, "w") as f:
        json.dump(v, f)
try:
    if path.endswith(".json"):
        with open(path) as f:
            logging.config.dictConfig(json.load(f))
    else:
        logging.config.fileConfig(path, defaults={"dir": d}, disable_existing_loggers=False)
except Exception as e:
    say("%s: %s" % (type(e).__name__, e))
    sys.exit()
r = logging.makeLogRecord({"msg": "m", "levelno": 50, "levelname": "CRITICAL", "name": "x"})
for ref in list(logging._handlerList):
    h = ref()
    if h is not None:
        h.handle(r)
say("handleError in " + "; ".join(fails) if fails else None)
`

// PythonRejects is CPython as the oracle for a whole config file: it loads
// path (dictConfig for .json, else fileConfig with %(dir)s set to dir) and
// logs one record through every handler, and returns why CPython rejects
// the config or fails on the record, or "" when it loads and logs. It
// skips the test if python3 is missing.
func PythonRejects(t testing.TB, path, dir string) string {
	t.Helper()
	RunPython(t, time.Minute, pythonLoad, path, path+".verdict", dir)
	b, err := os.ReadFile(path + ".verdict")
	if err != nil {
		t.Fatalf("lltest: no verdict for %s: %v", path, err)
	}
	var why *string
	if err := json.Unmarshal(b, &why); err != nil {
		t.Fatalf("lltest: verdict %s: %v", b, err)
	}
	if why == nil {
		return ""
	}
	return *why
}

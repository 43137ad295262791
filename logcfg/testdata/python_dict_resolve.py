#!/usr/bin/env python3
"""Print what CPython's own logging.config.dictConfig makes of a JSON or
YAML (read with PyYAML's yaml.safe_load) config, in livelog's
resolved-view shape (see python_resolve.py), plus where records go:

  {"loggers": ..., "handlers": ..., "formatters": ...,
   "routes": {logger name: {level name: [handler names that take the record]}}}

or {"error": {"type": ..., "message": ...}} when Python rejects the config.
The routes probe the root, every configured logger, a child of each
(NAME.child), a name that only starts like it (NAMEx), the same for the
name of each filter, and "unconfigured",
at DEBUG to CRITICAL: a handler takes a record when the logger is enabled
for it, the record reaches the handler (propagation), the handler's level
lets it through and the logger's and the handler's filters pass it; a
record at WARNING or above that reaches no handler at all goes to
"(last resort)".
File handlers are created with delay=True: no file is opened.

usage: python_dict_resolve.py CONFIG.(json|yaml|yml)
"""
import json
import logging
import logging.config
import logging.handlers
import sys

import yaml

LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            return json.load(f)
        return yaml.safe_load(f)


def main(argv):
    path = argv[0]
    orig_init = logging.FileHandler.__init__

    def no_open(self, filename, mode="a", encoding=None, delay=False, errors=None):
        orig_init(self, filename, mode, encoding, True, errors)

    logging.FileHandler.__init__ = no_open
    logging.lastResort = None
    try:
        config = load(path)
        logging.config.dictConfig(config)
    except BaseException as e:  # every failure mode is an answer
        t = type(e)
        name = t.__qualname__ if t.__module__ == "builtins" else t.__module__ + "." + t.__qualname__
        print(json.dumps({"error": {"type": name, "message": str(e)}}, indent=2))
        return

    config = load(path)  # dictConfig converted the one it was given
    names = [n for n in config.get("loggers", {}) if n not in ("", "root")]
    out = {"loggers": {}, "handlers": {}, "formatters": {}, "routes": {}}
    for name in ["root"] + names:
        lg = logging.getLogger(None if name == "root" else name)
        out["loggers"][name] = {
            "level": logging.getLevelName(lg.level),
            "effective": logging.getLevelName(lg.getEffectiveLevel()),
            "propagate": bool(lg.propagate),
            "handlers": [h.name for h in lg.handlers],
        }
    for key, hc in config.get("handlers", {}).items():
        h = logging._handlers[key]
        fkey = hc.get("formatter") or "" if h.formatter is not None else ""
        out["handlers"][key] = {
            "class": type(h).__name__,
            "level": logging.getLevelName(h.level),
            "formatter": fkey,
        }
        if fkey:
            out["formatters"][fkey] = {"format": h.formatter._fmt, "datefmt": h.formatter.datefmt}

    got = []
    for h in logging._handlers.values():
        def handle(record, h=h):
            if h.filter(record):
                got.append(h.name)
            return True
        h.handle = handle
    class LastResort(logging.Handler):
        def handle(self, record):
            got.append("(last resort)")

    logging.lastResort = LastResort(logging.WARNING)
    probes = ["root", "unconfigured"]
    for n in names + [f.get("name", "") for f in config.get("filters", {}).values()]:
        if n and n not in probes:
            probes += [n, n + ".child", n + "x"]
    for name in probes:
        lg = logging.getLogger(None if name == "root" else name)
        route = {}
        for level in LEVELS:
            del got[:]
            lg.log(logging.getLevelName(level), "probe")
            route[level] = sorted(got)
        out["routes"][name] = route
    print(json.dumps(out, indent=2, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])

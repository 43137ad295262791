"""The Python reference for bench/python: logging.config.fileConfig with the
colour format, a ColorFormatter that substitutes the $ tokens the way
livelog's colorfmt does, and a StreamHandler to stdout (/dev/null when
timed).

    python3 main.py CONFIG.ini N [devnull|discard]

logs N INFO lines through logger bench.app from the function emit and
prints "seconds=<float>" on stderr: the time from the first call to the
last, excluding start-up. With "discard", the handlers' stream is replaced
after loading by one whose write and flush do nothing: every record is
still formatted, but no system call is made.
"""

import logging
import logging.config
import sys
import time

TOKENS = {
    "RESET": "\x1b[0m", "BOLD": "\x1b[1m",
    "BLACK": "\x1b[30m", "RED": "\x1b[31m", "GREEN": "\x1b[32m",
    "YELLOW": "\x1b[33m", "BLUE": "\x1b[34m", "MAGENTA": "\x1b[35m",
    "CYAN": "\x1b[36m", "WHITE": "\x1b[37m",
    "BG_BLACK": "\x1b[40m", "BG_RED": "\x1b[41m", "BG_GREEN": "\x1b[42m",
    "BG_YELLOW": "\x1b[43m", "BG_BLUE": "\x1b[44m", "BG_MAGENTA": "\x1b[45m",
    "BG_CYAN": "\x1b[46m", "BG_WHITE": "\x1b[47m",
}

LEVEL_COLORS = {
    logging.DEBUG: "\x1b[34m", logging.INFO: "\x1b[32m",
    logging.WARNING: "\x1b[33m", logging.ERROR: "\x1b[31m",
    logging.CRITICAL: "\x1b[1;37;41m",
}


def substitute(fmt):
    # Longest names first, so $BG_RED is not read as $BG_ + ... or $RED.
    for name in sorted(TOKENS, key=len, reverse=True):
        fmt = fmt.replace("$" + name, TOKENS[name])
    return fmt


class ColorFormatter(logging.Formatter):
    """The usual recipe: $TOKENS replaced once, $COLOR per level."""

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, **kw):
        base = substitute(fmt or "%(message)s")
        self._by_level = {
            level: logging.Formatter(base.replace("$COLOR", seq), datefmt, style)
            for level, seq in LEVEL_COLORS.items()
        }
        super().__init__(base.replace("$COLOR", ""), datefmt, style, validate, **kw)

    def format(self, record):
        f = self._by_level.get(record.levelno)
        if f is None:
            return super().format(record)
        return f.format(record)


class Discard:
    """A stream that drops what it is given."""

    def write(self, s):
        return len(s)

    def flush(self):
        pass


def emit(log, n):
    for i in range(n):
        log.info("request served status=%d user=%s elapsed=%s", 200, "alice", "1.5s")


def main():
    config, n = sys.argv[1], int(sys.argv[2])
    logging.config.fileConfig(config, disable_existing_loggers=False)
    log = logging.getLogger("bench.app")
    if sys.argv[3:] == ["discard"]:
        for h in log.handlers:
            h.setStream(Discard())
    start = time.perf_counter()
    emit(log, n)
    seconds = time.perf_counter() - start
    for h in logging.getLogger("bench.app").handlers:
        h.flush()
    print("seconds=%.6f" % seconds, file=sys.stderr)


if __name__ == "__main__":
    main()

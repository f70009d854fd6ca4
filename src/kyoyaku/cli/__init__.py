"""The `kyoyaku` command: a thin layer over the pipeline's stages — arguments.py reads the command
line, commands.py runs each command and prints its result, and `main` here maps errors to exit
codes.

Exit codes: 0 ok; 1 the data do not conform or are incomplete; 2 usage or input error.
Errors are printed as one message, never a traceback.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import sys
import warnings
from contextlib import contextmanager

from ..errors import KyoyakuError, NonConformingError, ResultError
from .arguments import parser

__all__ = ["main", "parser"]

# Failures of the machine, not of kyoyaku or its input: a full disk, a read-only file system, a
# directory this user may not write … One line naming the path, exit 2. Any other OSError is a
# defect of kyoyaku (bad input is an InputError where it is read) and keeps its traceback.
ENVIRONMENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO,
                      errno.EMFILE, errno.ENFILE}
RDFLIB_ILL_TYPED = re.compile(r"Failed to convert Literal lexical form to value\. Datatype=(?P<datatype>\S+),")


@contextmanager
def library_warnings_as_lines():
    """rdflib reports what it finds odd in the data by logging — with a traceback, for a literal
    that is not of its datatype — or by `warnings` (two lines, one of them rdflib's own source).
    While a command runs, each distinct one is one `kyoyaku: warning: …` line on stderr."""
    shown: set[str] = set()

    def show(text: str) -> None:
        text = " ".join(text.split())[:300]
        if text not in shown:
            shown.add(text)
            print(f"kyoyaku: warning: {text}", file=sys.stderr)

    class OneLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            reason = record.exc_info[1] if record.exc_info else None
            if m := RDFLIB_ILL_TYPED.match(message):
                # the text itself is a local of rdflib's converting function, which logged this
                lexical = record.exc_info[2].tb_frame.f_locals.get("lexical") if record.exc_info[2] else None
                literal = f"{json.dumps(str(lexical), ensure_ascii=False)}^^" if lexical is not None else "a literal typed "
                message = f"{literal}<{m['datatype']}> is not a valid value of its datatype; kept as written"
            elif reason is not None:
                message = f"{message}: {reason}"
            show(message)

    logger = logging.getLogger("rdflib")
    handler, propagate = OneLine(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.showwarning = lambda message, *_, **__: show(str(message))
            yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with library_warnings_as_lines():
            return args.run(args)
    except NonConformingError as e:
        print(e.report_text, end="", file=sys.stdout)
        print(f"kyoyaku: {e}", file=sys.stderr)
        return e.exit_code
    except (ResultError, KyoyakuError) as e:
        print(f"kyoyaku: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("kyoyaku: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly, as other CLI tools do
        sys.stdout = None
        return 0
    except OSError as e:
        if not environment_failure(e):
            raise
        if e.errno is None:  # Oxigraph's: its message names the file
            print(f"kyoyaku: {str(e).splitlines()[0]}", file=sys.stderr)
            return 2
        # a failed write names no file where its OSError came from a plain write(): then name the output
        where = e.filename or next((str(v) for v in (getattr(args, k, None) for k in ("out", "into", "store")) if v),
                                   "the output")
        print(f"kyoyaku: {where}: {e.strerror or e}", file=sys.stderr)
        return 2


def environment_failure(error: OSError) -> bool:
    """Whether `error` is a failure of the machine (ENVIRONMENT_ERRNOS). Oxigraph's OSErrors carry
    no errno, only the system's message: "IO error: No space left on device: While appending to
    file: …/000012.sst: No space left on device"."""
    if error.errno is not None:
        return error.errno in ENVIRONMENT_ERRNOS
    return str(error).startswith("IO error: ") and any(os.strerror(code) in str(error) for code in ENVIRONMENT_ERRNOS)

"""The project's one error hierarchy; the CLI maps each class to an exit code."""

from __future__ import annotations


class KyoyakuError(Exception):
    """Base of every error kyoyaku raises on purpose."""

    exit_code = 2


class UsageError(KyoyakuError):
    """The command line or an argument does not make sense."""


class InputError(KyoyakuError):
    """A file could not be read as what was expected; names file, line and expectation."""

    def __init__(self, path: object, line: int | None, expected: str, found: str | None = None):
        self.path = str(path)
        self.line = line
        self.expected = expected
        self.found = found
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {self.reason}")

    @property
    def reason(self) -> str:
        """The message without the file and line: `expected …, found '…'`."""
        return f"expected {self.expected}, found {self.found!r}" if self.found else f"expected {self.expected}"

    def __reduce__(self):  # picklable with its fields: it may be raised in a child process (kyoyaku.sparql.isolate)
        return type(self), (self.path, self.line, self.expected, self.found)

    @classmethod
    def at_byte(cls, path: object, data: bytes, offset: int, expected: str, found: str | None = None) -> InputError:
        """The error at byte `offset` of the file's `data`, on the line holding that byte."""
        return cls(path, data.count(b"\n", 0, offset) + 1, expected, found)


class ConfigError(InputError):
    """A configuration file (kyoyaku.toml, [tool.kyoyaku] in pyproject.toml: kyoyaku.config) that
    kyoyaku cannot use: names the file, the key and what was expected of it."""

    def __init__(self, path: object, key: str | None, expected: str, found: object = None, line: int | None = None):
        self.key, self.of_key = key, expected
        shown = None if found is None else (found if isinstance(found, str) else repr(found))
        super().__init__(path, line, f"{key} to be {expected}" if key else expected, shown)

    def __reduce__(self):
        return type(self), (self.path, self.key, self.of_key, self.found, self.line)


class EndpointError(KyoyakuError):
    """A SPARQL endpoint or graph store could not be reached or refused the request."""


class ResultError(KyoyakuError):
    """The data were read, but do not meet the requirements (exit code 1)."""

    exit_code = 1


class NonConformingError(ResultError):
    """SHACL validation found violations."""

    def __init__(self, message: str, report_text: str = ""):
        self.report_text = report_text
        super().__init__(message)


class IncompleteError(ResultError):
    """A source lacks parts an agreement must have (signatures, appendix …)."""


class EngineError(KyoyakuError):
    """The query engine (Oxigraph) crashed on a query: a fault of the engine, named in one line
    (kyoyaku.sparql.isolate)."""


def describe_bytes(data: bytes) -> str:
    """Bytes that do not decode, as a message shows them: `byte 0x81`, `bytes 0xe5 0x9f`."""
    return f"byte{'s' if len(data) > 1 else ''} {' '.join(f'0x{b:02x}' for b in data)}"

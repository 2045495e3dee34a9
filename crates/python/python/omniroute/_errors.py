"""omniroute's exceptions. The Rust module raises these (mapped in one place, ``errors.rs``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union


class OmnirouteError(Exception):
    """Base of every omniroute error; also what an internal bug (a Rust panic) is raised as."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input: stable code (``docs/errors.md``), place and what to do.

    ``line`` is 1-based with the header as line 1 (for a frame, row ``i`` is line ``i + 2``), 0
    for the whole file; ``column`` is 1-based, 0 when not about one field.
    """

    code: str
    file: str
    line: int
    column: int
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message} (hint: {self.hint})"


class InputError(OmnirouteError, ValueError):
    """Bad input (``E1xxx`` files, ``E31xx`` events of ``Router.reroute``): every problem found,
    at once, in ``.problems``.

    ``.code``, ``.file``, ``.line`` and ``.column`` are the first problem's.
    """

    problems: list[Problem]

    def __init__(self, message: str, problems: Sequence[Union[Problem, Mapping[str, Any]]]) -> None:
        super().__init__(message, problems)
        self.problems = [p if isinstance(p, Problem) else Problem(**p) for p in problems]

    def __str__(self) -> str:
        return str(self.args[0])

    @property
    def code(self) -> str:
        return self.problems[0].code

    @property
    def file(self) -> str:
        return self.problems[0].file

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def column(self) -> int:
        return self.problems[0].column


class PolicyError(InputError):
    """A rejected policy (every problem ``E2xxx``)."""


class InventoryError(OmnirouteError):
    """A refused inventory event (``E3xxx`` in ``.code``); the ledger did not change (except
    ``E3006``: the expired reservation was released)."""

    code: str

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code} {self.args[0]}"

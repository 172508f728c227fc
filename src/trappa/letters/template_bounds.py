"""Bounds on a template's run: steps, time and output, so that no template runs for ever.

Every render (``render_budget``) has a budget of ``MAX_STEPS`` steps — each round of a
``{% for %}`` loop, each call, and each number a ``range()`` makes — of ``MAX_SECONDS``, and of
``MAX_OUTPUT`` characters written; a power or a repetition (``*``) that would pass them is
stopped before it is computed. Jinja's sandbox caps one ``range()`` at 100 000 numbers, but
nested loops multiply; here every loop is counted, whatever it loops over, by rewriting each
``{% for %}`` to take its items through ``counted`` when the template is parsed.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from trappa.messages import say

# A letter takes a few hundred steps and a few KiB; a dossier a few steps and a few hundred
# characters per event. The bounds are far above both, yet stop a runaway loop in well under a
# second; the time bound catches what is slow per step (a macro calling itself twice).
MAX_STEPS = 250_000
MAX_OUTPUT = 10_000_000  # characters
MAX_SECONDS = 5.0
MAX_EXPONENT = 1000  # 10 ** 1000 is already far beyond any amount a letter prints


class TemplateLimit(Exception):
    """A template passed one of the bounds of a render (its message says which)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Budget:
    """What one render has used so far."""

    __slots__ = ("steps", "deadline", "next_check")

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS
        self.next_check = 1024

    def charge(self, steps: int) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise TemplateLimit(say("letters.template.too_many_steps", limit=f"{MAX_STEPS:,}"))
        if self.steps >= self.next_check:  # the clock every thousand steps, not every step
            self.next_check = self.steps + 1024
            if time.monotonic() > self.deadline:
                raise TemplateLimit(say("letters.template.too_slow", limit=f"{MAX_SECONDS:g}"))


# The budget of the render under way; None outside ``render_budget`` (e.g. the HTML page around
# a letter, which trappa writes itself), where nothing is counted.
_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "trappa_template_budget", default=None
)


@contextmanager
def render_budget() -> Iterator[None]:
    """A fresh budget for the render inside the ``with``."""
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _charge(steps: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.charge(steps)


def _counted(iterable: Any) -> Any:
    """``iterable``, charging one step for each item a ``{% for %}`` loop takes from it."""
    for item in iterable:
        _charge(1)
        yield item


def bounded_render(template: Any, context: Mapping[str, Any]) -> str:
    """``template`` rendered piece by piece, stopped once it has written ``MAX_OUTPUT``."""
    parts: list[str] = []
    written = 0
    pieces = template.generate(context)
    for piece in pieces:
        written += len(piece)
        parts.append(piece)
        if written > MAX_OUTPUT:
            # Raised inside the template, so that the error names the line that wrote it.
            message = say("letters.template.too_long", limit=f"{MAX_OUTPUT:,}")
            pieces.throw(TemplateLimit(message))
    return "".join(parts)


_BOUNDED: Any = None


def bounded_environment_class() -> Any:
    """Jinja's immutable sandbox, with every loop, call, ``range`` and ``*``/``**`` counted."""
    global _BOUNDED
    if _BOUNDED is not None:
        return _BOUNDED
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range

    def bounded_range(*args: int) -> range:
        numbers = safe_range(*args)
        _charge(len(numbers))
        return numbers

    class BoundedEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.globals["range"] = bounded_range
            self.counted = _counted

        def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
            tree = super()._parse(source, name, filename)
            # Every loop takes its items through `counted`, whatever it loops over.
            for loop in list(tree.find_all(nodes.For)):
                loop.iter = nodes.Call(
                    nodes.EnvironmentAttribute("counted"), [loop.iter], [], None, None,
                    lineno=loop.iter.lineno,
                )
            return tree

        def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            _charge(1)  # a macro calling itself has no loop to count
            return super().call(context, obj, *args, **kwargs)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    _BOUNDED = BoundedEnvironment
    return BoundedEnvironment


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Stop ``"x" * 10**9`` and ``10 ** 10**9`` before Python starts on them."""
    if operator == "**":
        if (isinstance(right, int) and abs(right) > MAX_EXPONENT
                and isinstance(left, int | float) and abs(left) > 1):
            raise TemplateLimit(say("letters.template.too_large", limit=f"{MAX_EXPONENT:,}"))
        return
    for seq, times in ((left, right), (right, left)):
        if (isinstance(seq, str | list | tuple) and isinstance(times, int)
                and len(seq) * times > MAX_OUTPUT):
            raise TemplateLimit(say("letters.template.too_long", limit=f"{MAX_OUTPUT:,}"))

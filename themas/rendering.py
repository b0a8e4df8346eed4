"""Markdown of updates, rendered under a bound: a person's text never keeps a worker busy.

`render_markdown()` first checks what is known to make Python-Markdown slow or crash
(length, runs of `[`, deep nesting: `check_markdown()`), then renders in a child process
(`themas.markdown_html`) that is killed after `RENDER_TIMEOUT_SECONDS`. A child, not a
signal or a thread, because only a process can be stopped in the middle of C code, and it
works the same in gunicorn's sync workers, in threads and in Celery. Whatever is refused
raises `MarkdownRefused`, a rule violation whose message tells the writer what to change.
"""

import logging

# Deliberate (bandit B404, B603): the child runs only this project's own module, with a
# fixed argument list and no shell; the text goes in on stdin.
import subprocess  # nosec B404
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from werkplaats.exceptions import RuleViolation

logger = logging.getLogger(__name__)

MAX_LENGTH = 50_000
# Python-Markdown scans ahead from every `[` for its `]` and link target: quadratic in
# the number of brackets (12,000 took 30 s). A thousand take a fifth of a second.
MAX_BRACKETS = 1_000
# Lists and quotes inside each other; Python-Markdown recurses per level (300 levels
# raised RecursionError). Real updates use two or three.
MAX_NESTING = 20
# Rendering 50,000 ordinary characters takes a tenth of a second, and so does starting
# the child.
RENDER_TIMEOUT_SECONDS = 3

_PROJECT_DIR = Path(__file__).resolve().parent.parent
_CHILD_MODULE = "themas.markdown_html"


class MarkdownRefused(RuleViolation):
    """The text cannot be rendered within the bounds; the message says what to change."""


def check_markdown(text: str) -> None:
    """Raise MarkdownRefused for text that is too long, too bracketed or too deeply nested.

    Linear in the length of the text, so a form can run it on every submit.
    """
    if len(text) > MAX_LENGTH:
        raise MarkdownRefused(
            _("De tekst is te lang: hoogstens %(max)s tekens, het zijn er nu %(aantal)s.")
            % {"max": MAX_LENGTH, "aantal": len(text)}
        )
    if text.count("[") > MAX_BRACKETS:
        raise MarkdownRefused(
            _(
                "De tekst bevat te veel vierkante haken ‘[’: hoogstens %(max)s. Een link "
                "schrijf je als [tekst](https://…)."
            )
            % {"max": MAX_BRACKETS}
        )
    if _deepest_nesting(text) > MAX_NESTING:
        raise MarkdownRefused(
            _(
                "Lijsten en citaten staan te diep in elkaar: hoogstens %(max)s niveaus. "
                "Maak de opbouw eenvoudiger."
            )
            % {"max": MAX_NESTING}
        )


def validate_markdown(text: str) -> None:
    """`check_markdown()` as a form field validator: the refusal belongs to the field."""
    try:
        check_markdown(text)
    except MarkdownRefused as error:
        raise ValidationError(str(error), code="markdown") from error


def render_markdown(text: str) -> str:
    """Markdown → safe HTML within the bounds above; raises MarkdownRefused otherwise."""
    text = text or ""
    check_markdown(text)
    try:
        result = subprocess.run(  # nosec B603
            [sys.executable, "-m", _CHILD_MODULE, str(int(RENDER_TIMEOUT_SECONDS) + 1)],
            input=text.encode("utf-8", "replace"),
            capture_output=True,
            cwd=_PROJECT_DIR,
            timeout=RENDER_TIMEOUT_SECONDS,
            check=True,
        )
    except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as error:
        stderr = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        logger.warning(
            "Markdown of %s characters refused: %s %s",
            len(text),
            type(error).__name__,
            stderr[-1] if stderr else "",
        )
        raise MarkdownRefused(
            _(
                "Deze tekst is te ingewikkeld om op te maken. Maak hem korter of eenvoudiger, "
                "bijvoorbeeld met minder kopjes, lijnen of haken achter elkaar."
            )
        ) from error
    return result.stdout.decode("utf-8")


def _deepest_nesting(text: str) -> int:
    """How many lists and quotes the deepest line stands in, counted from its prefix:
    every `>`, every list marker and every four columns of indentation is a level."""
    deepest = 0
    for line in text.splitlines():
        levels = columns = 0
        position, end = 0, len(line)
        while position < end:
            char = line[position]
            if char == " ":
                columns += 1
            elif char == "\t":
                columns += 4
            elif char == ">":
                levels += 1
            else:
                marker_end = _list_marker_end(line, position)
                if marker_end is None:
                    break
                levels += 1
                position = marker_end
                continue
            position += 1
        deepest = max(deepest, levels + columns // 4)
    return deepest


def _list_marker_end(line: str, position: int) -> int | None:
    """End of a list marker (`-`, `*`, `+`, `1.` or `1)` followed by a space) at `position`."""
    end = position
    if line[end] in "-*+":
        end += 1
    else:
        while end < len(line) and end - position < 9 and line[end] in "0123456789":
            end += 1
        if end == position or end >= len(line) or line[end] not in ".)":
            return None
        end += 1
    if end < len(line) and line[end] in " \t":
        return end
    return None

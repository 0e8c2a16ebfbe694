"""Where each key of a TOML file is written: the line locator behind ``FILE:LINE`` errors.

``tomllib`` returns values without positions, so one pass over the text maps every key path
— ``("crawl", "delay")``, ``("source", 0, "revisit", "after")`` — to the line that sets it:
under ``[table]`` and ``[[array]]`` headers, sub-tables such as ``[source.revisit]``, dotted
keys (``revisit.after = …``) and inline tables (the line of the ``key = {`` that opens them).
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_\-]+"
_QUOTED = r"\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[|\[)\s*({_DOTTED})\s*(\]\]|\])\s*(?:#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_PARTS = re.compile(_KEY_PART)
_STRINGS = re.compile(_QUOTED)


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PARTS.findall(dotted)]


def _depth_change(line: str) -> int:
    """How many array or inline-table brackets a line opens minus those it closes."""
    code = _STRINGS.sub('""', line).split("#", 1)[0]
    return code.count("[") + code.count("{") - code.count("]") - code.count("}")


class KeyLines:
    """Maps key paths to 1-based line numbers; a missing path falls back to its parent's."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        arrays: dict[tuple[str, ...], int] = {}
        prefix: Path = ()
        depth = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if depth > 0:
                depth = max(depth + _depth_change(line), 0)
                continue
            header = _HEADER.match(line)
            if header:
                names = _parts(header.group(2))
                is_array = header.group(1) == "[["
                path: list[str | int] = []
                for i, name in enumerate(names):
                    path.append(name)
                    key = tuple(str(p) for p in path if isinstance(p, str))
                    last = i == len(names) - 1
                    if last and is_array:
                        arrays[key] = arrays.get(key, -1) + 1
                        path.append(arrays[key])
                    elif key in arrays:
                        path.append(arrays[key])
                prefix = tuple(path)
                self._note(prefix, number)
                if is_array:
                    self._note(prefix[:-1], number)
                continue
            match = _KEY.match(line)
            if match:
                path_so_far = prefix
                for name in _parts(match.group(1)):
                    path_so_far = (*path_so_far, name)
                    self._note(path_so_far, number)
                rest = line[match.end() :]
                depth = max(_depth_change(rest), 0)

    def _note(self, path: Path, line: int) -> None:
        self._lines.setdefault(path, line)

    def line(self, path: Path) -> int | None:
        """The line of ``path``, else of its nearest written ancestor, else None."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return None

"""The form's inputs as posted: Werkzeug's MultiDict, read the way a browser fills a form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from playground.model.form_names import below


class FormData(MultiDict[str, str]):
    """Ordered, multi-valued form fields; an input that is not there reads as ``""``."""

    @classmethod
    def of(cls, data: FormData | Mapping[str, Any] | Iterable[tuple[str, str]]) -> FormData:
        """Give form data from a MultiDict, a plain mapping or ``(key, value)`` pairs."""
        if isinstance(data, FormData):
            return data
        if isinstance(data, MultiDict):
            return cls(data)
        if isinstance(data, Mapping):
            pairs: list[tuple[str, str]] = []
            for key, value in data.items():
                values = value if isinstance(value, list | tuple) else [value]
                pairs.extend((key, str(v)) for v in values)
            return cls(pairs)
        return cls(data)

    # An input that is not there reads as "" (as a browser posts an empty field), never None:
    # narrower than MultiDict.get, whose overloads (and ``type=``, unused here) allow None.
    def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
        """Give the field's first value, or ``default`` (an empty input when not given)."""
        return super().get(key, default)

    def set(self, key: str, value: str) -> None:
        """Replace a field's values with one value."""
        self.setlist(key, [value])

    def pop_prefix(self, prefix: str) -> None:
        """Remove every field whose name is ``prefix`` or starts below it."""
        for key in [k for k in self.keys() if below(k, prefix)]:
            del self[key]

"""Building many frozen slotted records fast: one constructor per dataclass, slots set directly."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MemberDescriptorType
from typing import Any

__all__ = ["record_maker"]


def record_maker(cls: type[Any]) -> Callable[..., Any]:
    """A positional constructor (every field, in declaration order) for a frozen slotted dataclass.

    Why: a frozen dataclass's `__init__` goes through `object.__setattr__` once per field, which
    made building a million `Indicator`s and `SourceRef`s a large part of reading. This sets the
    slots directly; the record is the same (equal, same repr, still frozen). A class with a
    `__post_init__` gets its own constructor, so nothing it checks is skipped.
    """
    names = [f.name for f in dataclasses.fields(cls)]
    if hasattr(cls, "__post_init__") or not all(isinstance(cls.__dict__.get(n), MemberDescriptorType) for n in names):
        return cls
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    o = _new(_cls)"]
    for index, name in enumerate(names):
        namespace[f"_set{index}"] = cls.__dict__[name].__set__
        lines.append(f"    _set{index}(o, {name})")
    lines.append("    return o")
    exec("\n".join(lines), namespace)  # built from the dataclass's own field names
    make = namespace["make"]
    make.__doc__ = f"{cls.__name__}({', '.join(names)}), slots set directly"
    return make

"""Fast construction of codekit's frozen value classes on hot paths.

A frozen attrs class sets each field in ``__init__`` through ``object.__setattr__`` (a
frozen class refuses plain assignment): a C call with an argument tuple per field. A
claim read from JSON makes a :class:`~codekit.claims.Claim` (25 fields), its patient and a
:class:`~codekit.claims.ServiceLine` (11 fields) a line, and that machinery was about a
quarter of :meth:`Claim.from_dict`'s instructions.

:func:`maker` returns a constructor with the class's signature that fills a *draft*: an
object of a plain class with the very same slots, where a field store is one interpreter
instruction; then it gives the draft its real class. The object is then an ordinary
instance of the frozen class: equal and hashing alike to one made by ``cls(...)``, frozen,
pickled and evolved as any other. The interpreter allows the class change only between
classes of the same layout (which is why these classes have no ``__weakref__`` slot);
:func:`maker` tries it once and returns the class itself where it is refused, so the
result is never wrong, at worst not faster.

>>> import attrs
>>> @attrs.frozen(weakref_slot=False)
... class Point:
...     x: int
...     y: int = 0
...     tags: tuple[str, ...] = attrs.field(factory=tuple)
>>> new_point = maker(Point)
>>> p = new_point(1, tags=("a",))
>>> p, type(p) is Point, p == Point(1, 0, ("a",))
(Point(x=1, y=0, tags=('a',)), True, True)
>>> p.x = 2  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
attrs.exceptions.FrozenInstanceError: can't set attribute
>>> maker(attrs.frozen(type("Weak", (), {"__annotations__": {"x": "int"}}))).__name__
'Weak'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["maker"]

T = TypeVar("T")
_NOTHING: Any = object()
_FACTORY: Any = type(attrs.Factory(list))  # what attrs.field(factory=...) keeps as default
#: attrs.Converter (attrs 24.1 on: a converter that may take the instance or the field);
#: before it a converter is a plain callable
_CONVERTER: Any = getattr(attrs, "Converter", ())


def _converter(field: Any) -> Callable[[Any], Any] | None:
    """The field's converter as a plain one-argument callable (None when it has none);
    ``_NOTHING`` for a converter that takes the instance or the field, which a draft
    cannot give it."""
    conv: Any = field.converter
    if _CONVERTER and isinstance(conv, _CONVERTER):
        given: Any = conv  # its attributes are not in attrs' stubs
        if given.takes_self or given.takes_field:
            return _NOTHING
        conv = given.converter
    return conv


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` (a frozen, slotted attrs class without validators or
    ``__attrs_post_init__``; a field's converter is applied as the class applies it, to
    a default too) that is faster than ``cls`` itself; ``cls`` where it cannot be (another
    kind of class, a converter that takes the instance or the field, or an interpreter
    that refuses)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    slots = getattr(cls, "__slots__", None)
    if slots is None or "__weakref__" in slots or hasattr(cls, "__attrs_post_init__") or \
            any(f.validator or not f.init or _converter(f) is _NOTHING for f in fields):
        return cls
    draft = type(f"_{cls.__name__}Draft", (), {"__slots__": slots})
    ns: dict[str, Any] = {"_draft": draft, "_cls": cls, "_NOTHING": _NOTHING}
    params, body = [], []
    for f in fields:
        name = f.name
        if f.default is attrs.NOTHING:
            params.append(name)
            value = name
        elif type(f.default) is _FACTORY:
            if f.default.takes_self:
                return cls
            ns[f"_factory_{name}"] = f.default.factory
            params.append(f"{name}=_NOTHING")
            value = f"(_factory_{name}() if {name} is _NOTHING else {name})"
        else:
            ns[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
            value = name
        conv = _converter(f)
        if conv is not None:
            ns[f"_convert_{name}"] = conv
            value = f"_convert_{name}({value})"
        body.append(f"    o.{name} = {value}")
    source = (f"def new_{cls.__name__}({', '.join(params)}):\n    o = _draft()\n"
              + "\n".join(body) + "\n    o.__class__ = _cls\n    return o\n")
    exec(compile(source, f"<codekit._frozen.maker({cls.__name__})>", "exec"), ns)
    make: Callable[..., T] = ns[f"new_{cls.__name__}"]
    try:  # the interpreter decides whether the class change is allowed: ask it once
        probe = make(*[None] * sum(1 for f in fields if f.default is attrs.NOTHING))
    except Exception:  # TypeError, or a converter that takes no None
        return cls
    return make if type(probe) is cls else cls

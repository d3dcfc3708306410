"""rdfgen.model.frozen: each model class's generated ``__init__`` makes what ``@dataclass(frozen=True)``'s own would."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdfgen import model

CLASSES = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
           and c.__module__ == model.__name__]


def _reference(cls: type) -> type:
    """The same class as plain ``@dataclass(frozen=True)`` makes it: same fields, defaults and __post_init__."""
    spec = [(f.name, f.type, dataclasses.field(default=f.default)) if f.default is not dataclasses.MISSING
            else (f.name, f.type) for f in dataclasses.fields(cls)]
    namespace = {"__post_init__": cls.__post_init__} if hasattr(cls, "__post_init__") else {}
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True, namespace=namespace)


def test_every_model_class_is_covered() -> None:
    assert len(CLASSES) >= 20
    assert all(c.__init__.__qualname__ == f"{c.__qualname__}.__init__" for c in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_signature_is_the_dataclass_signature(cls: type) -> None:
    assert inspect.signature(cls.__init__) == inspect.signature(_reference(cls).__init__)


_VALUES = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.tuples(st.integers()), st.booleans())


@pytest.mark.parametrize("cls", [c for c in CLASSES if not hasattr(c, "__post_init__")], ids=lambda c: c.__name__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_instances_are_the_dataclass_instances(cls: type, data: st.DataObject) -> None:
    """Positional, keyword, and defaults left out: the same instance dict, and still frozen."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    required = [p for p in params if p.default is inspect.Parameter.empty]
    given_n = data.draw(st.integers(len(required), len(params)))
    values = [data.draw(_VALUES) for _ in range(given_n)]
    reference = _reference(cls)
    for args, kwargs in ((values, {}), ([], {p.name: v for p, v in zip(params, values, strict=False)})):
        made, expected = cls(*args, **kwargs), reference(*args, **kwargs)
        assert vars(made) == vars(expected)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.__setattr__(params[0].name, 1)


def test_post_init_still_checks() -> None:
    assert vars(model.PartialDate(2020, 2, 29)) == {"year": 2020, "month": 2, "day": 29, "season": None, "raw": None}
    for bad in ((0,), (2021, 2, 29), (2021, 13), (2021, None, 3)):
        with pytest.raises(ValueError):
            model.PartialDate(*bad)


def test_missing_and_unknown_arguments_fail_as_before() -> None:
    for call in (lambda: model.Keyword(), lambda: model.Keyword("x", nope=1), lambda: model.Keyword("x", text="y")):
        with pytest.raises(TypeError):
            call()


"""The fast constructors of the frozen value classes (codekit._frozen) make the very
objects the classes make: equal, hashing alike, frozen, pickled and evolved alike."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest

from codekit import Claim
from codekit._frozen import maker
from codekit.claims import Patient, ServiceLine
from codekit.findings import Finding, Report, Severity

LINE = (1, "99213", ("25",), Decimal(1), (1, 2), None, dt.date(2025, 11, 3), "L-1", "11",
        Decimal("125.50"), None)
PATIENT = ("F", dt.date(1950, 2, 1), None, "M123", "Doe")
FINDING = ("DX_CODE_UNKNOWN", Severity.ERROR, "E11.99 is not a code", ("diagnoses", 0),
           ("E11.99",), "ICD-10-CM", ("E11.9",))


@pytest.mark.parametrize(("cls", "args"), [
    (ServiceLine, LINE), (Patient, PATIENT), (Finding, FINDING),
    (Report, ((), "commercial", (("X", "y"),), "C1", ("L-1",), (1,), ())),
])
def test_same_object_as_the_class_makes(cls: type, args: tuple[object, ...]) -> None:
    make = maker(cls)
    assert make is not cls  # the fast path is taken on this interpreter
    fast, slow = make(*args), cls(*args)
    assert type(fast) is cls and fast == slow and hash(fast) == hash(slow)
    assert repr(fast) == repr(slow) and attrs.asdict(fast) == attrs.asdict(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    name = attrs.fields(cls)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(fast, name, None)
    assert attrs.evolve(fast) == slow


def test_claim_defaults_and_factories() -> None:
    """Defaults as the class gives them, and a new ``extra`` dict per claim."""
    make = maker(Claim)
    line, patient = ServiceLine(*LINE), Patient(*PATIENT)
    args = ("professional", "medicare", patient, dt.date(2025, 11, 3), ("E119",), (line,))
    fast, slow = make(*args, claim_id="C1"), Claim(*args, claim_id="C1")
    assert fast == slow and hash(fast) == hash(slow) and fast.to_dict() == slow.to_dict()
    assert (fast.bill_type, fast.poa, fast.extra) == (None, (), {})
    assert make(*args).extra is not fast.extra


def test_converters_are_applied_as_the_class_applies_them() -> None:
    """A field's converter (``Claim.condition_codes`` strips its codes) runs on what is
    given and on a default or a factory's value, as ``cls(...)`` does; a converter that
    takes the instance leaves the class as it is."""
    make = maker(Claim)
    assert make is not Claim
    line, patient = ServiceLine(*LINE), Patient(*PATIENT)
    args = ("institutional", "medicare", patient, dt.date(2025, 11, 3), ("E119",), (line,))
    fast = make(*args, bill_type="131", condition_codes=[" 41", "G0 "])
    slow = Claim(*args, bill_type="131", condition_codes=[" 41", "G0 "])
    assert fast == slow and fast.condition_codes == ("41", "G0") and hash(fast) == hash(slow)
    assert make(*args).condition_codes == ()

    @attrs.frozen(weakref_slot=False)
    class Converted:
        x: int
        default: tuple[int, ...] = attrs.field(default=[1], converter=tuple)
        made: tuple[int, ...] = attrs.field(factory=lambda: [2], converter=tuple)

    new = maker(Converted)
    assert new is not Converted
    assert new(0) == Converted(0) == Converted(0, (1,), (2,))
    assert new(0, [3], [4]) == Converted(0, (3,), (4,))

    if not hasattr(attrs, "Converter"):  # attrs < 24.1 (the declared floor): no such kind
        return

    @attrs.frozen(weakref_slot=False)
    class TakesSelf:
        x: int = attrs.field(converter=attrs.Converter(lambda v, self: v, takes_self=True))

    assert maker(TakesSelf) is TakesSelf


def test_from_dict_makes_claims_of_the_class() -> None:
    d = {"claim_id": "C1", "claim_type": "professional", "payer": "Medicare",
         "patient": {"sex": "f", "birth_date": "1950-02-01"}, "date_of_service": "2025-11-03",
         "diagnoses": ["E11.9"], "service_lines": [
             {"line": 1, "procedure_code": "99213", "units": 1, "diagnosis_pointers": [1],
              "line_id": "L-1"}]}
    claim = Claim.from_dict(d)
    assert type(claim) is Claim and type(claim.patient) is Patient
    assert type(claim.service_lines[0]) is ServiceLine
    assert claim == Claim("professional", "medicare", Patient("F", dt.date(1950, 2, 1)),
                          dt.date(2025, 11, 3), ("E11.9",),
                          (ServiceLine(1, "99213", (), Decimal(1), (1,), line_id="L-1"),),
                          claim_id="C1")


def test_classes_it_cannot_speed_up_are_returned_as_they_are() -> None:
    @attrs.frozen  # a __weakref__ slot: the interpreter refuses the class change
    class Weak:
        x: int

    @attrs.frozen(weakref_slot=False)
    class Checked:
        x: int = attrs.field(validator=attrs.validators.instance_of(int))

    assert maker(Weak) is Weak and maker(Checked) is Checked

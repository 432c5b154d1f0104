"""codekit.x12 on broken and unusual 837s an EDI engineer meets: interchanges with
delimiters of their own, HL hierarchies that are wrong, values of thousands of characters,
files that stop being readable inside a claim. Every claim of the file gets its report, in
order, and a finding says where and what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from codekit.claims import Claim, Patient, ServiceLine
from codekit.errors import X12NotReadable
from codekit.x12 import check, read_claims, write_837
from tests.conftest import reference

pytest.importorskip("pyx12")

D = dt.date


def _prof(claim_id: str = "P1") -> Claim:
    return Claim(
        claim_type="professional", payer="acme health", claim_id=claim_id,
        patient=Patient("F", D(1950, 4, 1), id="M1", name="ROE, ANN"),
        date_of_service=D(2025, 3, 3), diagnoses=("E119", "I10"),
        service_lines=(
            ServiceLine(1, "99213", (), Decimal(1), (1, 2), date_of_service=D(2025, 3, 3),
                        charge=Decimal("125.50"), line_id="L1"),
            ServiceLine(2, "93000", (), Decimal(1), (2,), date_of_service=D(2025, 3, 4),
                        charge=Decimal(40))),
        billing_provider="1234567893", place_of_service="11",
        total_charge=Decimal("165.50"), frequency_code="1", filing_indicator="MB")


def _text(*claim_ids: str, interchange: str = "000000001", delimiters: str = "*:~^") -> str:
    text = write_837([_prof(c) for c in claim_ids], date=D(2025, 3, 10), newline="\n",
                     delimiters=delimiters)
    return text.replace("000000001", interchange)


def _claims(data: bytes) -> list:
    return [r for r in check(data) if r.kind == "claim"]


def _rules(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in result.findings]


# -- several interchanges -----------------------------------------------------------------


def test_a_later_interchange_with_other_delimiters_is_read() -> None:
    """ISA ... IEA with '*' '~', then an ISA with '|' and line breaks as terminators: the
    second interchange was read with the first one's delimiters, as one 1,000-character
    "segment" (its ID the whole text), and its claim was lost."""
    first = _text("P1")
    second = _text("P3", interchange="000000003", delimiters="|^\n`")
    results = list(check((first + second).encode()))
    assert [(r.kind, r.claim_id, r.ok) for r in results] == [("claim", "P1", True),
                                                             ("claim", "P3", True)]
    assert results[1].claim == _prof("P3")
    assert results[1].envelope.interchange == "000000003"
    # no IEA before the second ISA, and blank lines between: still its own delimiters
    cut = first.replace("IEA*1*000000001~\n", "") + "\n" * 8 + second
    results = list(check(cut.encode()))
    assert [(r.kind, r.claim_id) for r in results] == [("claim", "P1"), ("claim", "P3"),
                                                       ("envelope", None)]
    assert results[1].claim == _prof("P3")
    assert [f.finding.message for f in results[2].findings] == [
        'Mandatory segment "Interchange Control Trailer" (IEA=000000001) missing']


def test_a_later_isa_after_many_blank_lines_is_read_with_its_own_delimiters() -> None:
    """No IEA, then 30 lines of blanks and an indented ISA with '|' and line breaks as
    terminators: an ISA was looked for only within 16 characters of the last terminator,
    so the second interchange (no '~' in it) was read as one unterminated "segment"."""
    first = _text("P1").replace("IEA*1*000000001~\n", "")
    second = _text("P3", interchange="000000003", delimiters="|^\n`")
    results = list(check((first + " \n" * 30 + "   " + second).encode()))
    assert [(r.kind, r.claim_id, r.ok) for r in results] == [
        ("claim", "P1", True), ("claim", "P3", True), ("envelope", None, False)]
    assert results[1].claim == _prof("P3")
    assert results[1].envelope.interchange == "000000003"


def test_real_files_with_different_separators_read_one_after_the_other() -> None:
    """Two IMS samples, '*' ':' '~' then '~' '^' '_', concatenated: the claims of the
    second are read as when it is read alone (they were lost)."""
    folder = reference("x12_837_samples")
    plain = (folder / "ims_x12_valid.txt").read_bytes()
    odd = (folder / "ims_x12_valid_different_separators.txt").read_bytes()
    alone = [r.claim for r in read_claims(odd) if r.kind == "claim"]
    both = [r for r in read_claims(plain + odd) if r.kind == "claim"]
    assert [r.claim_id for r in both] == ["A37YH556", "A37YH667", "A37YH556", "A37YH667"]
    assert [r.claim for r in both[2:]] == alone and alone[0] is not None


def test_each_interchange_has_its_own_isa_problems() -> None:
    """The problems of the first ISA (an ISA06 of 7 characters) were put on the claims of
    every later interchange, and a later ISA's own were not said."""
    bad_first = _text("P1").replace("*ZZ*CODEKIT        *", "*ZZ*CODEKIT*", 1)
    good = _text("P2", interchange="000000002")
    p1, p2 = _claims((bad_first + good).encode())
    assert "X12_INTERCHANGE_INVALID" in _rules(p1)
    assert p2.ok and _rules(p2) == []
    bad_second = good.replace("*ZZ*CODEKIT        *", "*ZZ*CODEKIT*", 1)
    p1, p2 = _claims((_text("P1") + bad_second).encode())
    assert p1.ok
    [isa] = [f for f in p2.findings if f.rule == "X12_INTERCHANGE_INVALID"]
    assert (isa.location.line, isa.location.element) == (30, "ISA06")
    assert isa.finding.message.startswith(
        "the ISA segment must be 106 characters with fixed-width elements: ISA06 is 7 "
        "characters (must be 15)")


def test_a_4010_standards_identifier_in_isa11_of_a_5010_header_is_said() -> None:
    """ISA11 'U' with ISA12 00501: 'U' was taken as the repetition separator, silently."""
    text = _text("P1")
    assert text[82] == "^"
    [result] = _claims((text[:82] + "U" + text[83:]).encode())
    assert result.claim == _prof()
    [f] = result.findings
    assert (f.rule, f.severity.value, f.location.element) == ("X12_INTERCHANGE_INVALID",
                                                              "warning", "ISA11")
    assert f.finding.message == (
        "ISA11 is 'U', a letter, digit or space: in a 00501 interchange ISA11 is the "
        "repetition separator (4010's standards identifier \"U\" is not used); read as no "
        "repetition separator")


def _seen(data: bytes) -> list[tuple]:  # type: ignore[type-arg]
    return [(r.kind, r.claim_id, r.ok, _rules(r)) for r in check(data)]


def test_a_stray_isa_inside_a_transaction_loses_no_claim() -> None:
    """"ISA~" between two claims (a stray, cut-off ISA): X12NotReadable was raised after
    P1, and P2 and P3 -- the same delimiters -- were never reported. Now the ISA is an
    envelope record after the claim it follows, and the file is read on."""
    text = _text("P1", "P2", "P3").replace("CLM*P2", "ISA~\nCLM*P2")
    results = list(check(text.encode()))
    assert [(r.kind, r.claim_id, r.ok, _rules(r)) for r in results] == [
        ("claim", "P1", True, []), ("envelope", None, False, ["X12_INTERCHANGE_INVALID"]),
        ("claim", "P2", True, []), ("claim", "P3", True, [])]
    assert results[2].claim == _prof("P2")
    [f] = results[1].findings
    assert (f.location.segment, f.location.line, f.location.element) == ("ISA", 32, None)
    assert f.finding.message == (
        "this ISA cannot be read: 'ISA' is followed by the segment terminator in force, and "
        "what follows is not an ISA header of its fixed widths: a stray or cut-off ISA; it "
        "is skipped, and reading goes on after the next segment terminator ('~'), with the "
        "delimiters in force ('*', ':', '~')")


def test_a_transfer_cut_inside_the_next_isa_loses_not_the_one_after() -> None:
    """An interchange, then the first 50 characters of the next ISA (a transfer cut off
    there) and a whole interchange after it: the third interchange was lost
    (X12NotReadable); so were the later files of ``codekit check``."""
    first = _text("P1")
    third = _text("P3", interchange="000000003")
    results = list(check((first + first[:50] + "\n" + third).encode()))
    assert [(r.kind, r.claim_id, r.ok, _rules(r)) for r in results] == [
        ("claim", "P1", True, []), ("envelope", None, False, ["X12_INTERCHANGE_INVALID"]),
        ("claim", "P3", True, [])]
    assert results[2].claim == _prof("P3")
    assert results[2].envelope.interchange == "000000003"
    [f] = results[1].findings
    assert (f.location.line, f.location.interchange) == (first.count("\n") + 1, None)
    assert f.finding.message.endswith(
        "it is skipped, and reading goes on at the well-formed ISA after it")
    # two cut ISAs one after the other: two records, in file order
    results = list(check((first + "ISA*00\nISA*01*\n" + third).encode()))
    at = first.count("\n") + 1
    assert [(r.kind, r.claim_id, r.location.line) for r in results] == [
        ("claim", "P1", 18), ("envelope", None, at), ("envelope", None, at + 1),
        ("claim", "P3", at + 19)]
    # a cut ISA followed by the rest of its interchange (the same delimiters): read on at
    # the next line's segment, its claims carrying the broken header
    headless = _text("P2", interchange="000000002").split("\n", 1)[1]
    results = list(check((first + "ISA*00*   *00\n" + headless).encode()))
    assert [(r.kind, r.claim_id, r.ok) for r in results] == [
        ("claim", "P1", True), ("claim", "P2", False), ("envelope", None, False)]
    assert results[1].claim == _prof("P2")
    # (and pyx12's GS06 1 not unique: no ISA began another interchange for it)
    assert _rules(results[1]) == ["X12_INTERCHANGE_INVALID", "X12_GROUP_INVALID"]
    assert "reading goes on at the next segment (GS), on the next line" in \
        results[1].findings[0].finding.message


def test_codekit_check_goes_on_after_a_file_with_a_cut_isa(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``codekit check junk.837 a.837``: exit 3 after the first claim, a.837 never
    checked."""
    import json

    from codekit.cli import main

    junk, good = tmp_path / "junk.837", tmp_path / "a.837"
    junk.write_text(_text("P1", "P2").replace("CLM*P2", "ISA*00\nCLM*P2"), newline="")
    good.write_text(_text("P3"), newline="")
    assert main(["check", str(junk), str(good), "--format", "jsonl", "--quiet"]) == 2
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["kind"], r["claim_id"], r["ok"]) for r in rows] == [
        ("claim", "P1", True), ("envelope", None, False), ("claim", "P2", True),
        ("claim", "P3", True)]


def test_a_stray_se_ge_or_iea_is_said_not_a_pyx12_crash() -> None:
    """A second SE (or GE, IEA) inside a transaction: pyx12 closed the group with the real
    SE, then raised IndexError on the GE and IEA (X12_VALIDATOR_FAILED warnings: the IEA's
    record was ok)."""
    text = _text("P1", "P2")
    stray = text.replace("HL*3*1*22*0~", "SE*20*0001~\nHL*3*1*22*0~")
    results = list(check(stray.encode()))
    assert all("X12_VALIDATOR_FAILED" not in _rules(r) for r in results)
    assert all(not r.ok for r in results if r.kind == "envelope")
    said = [(f.rule, f.location.segment, f.location.line, f.finding.message)
            for r in results for f in r.findings if " ends no " in f.finding.message]
    assert said == [(
        "X12_TRANSACTION_INVALID", "SE", 42, "this SE ends no transaction: no ST is open "
        "(an SE before it ended the transaction, or its ST is missing); it closes nothing")]
    # a stray GE closes the transaction and the group, a stray IEA the interchange too
    # (each said: test_a_missing_se_or_ge_is_said_under_its_own_level): the real SE and
    # GE, and after an IEA the real IEA, then end nothing
    for trailer, ended in (("GE*1*1~", 2), ("IEA*1*000000001~", 3)):
        stray = text.replace("HL*3*1*22*0~", f"{trailer}\nHL*3*1*22*0~")
        results = list(check(stray.encode()))
        assert all("X12_VALIDATOR_FAILED" not in _rules(r) for r in results)
        assert all(not r.ok for r in results if r.kind == "envelope")
        said = [(f.rule, f.location.segment) for r in results for f in r.findings
                if " ends no " in f.finding.message]
        assert said == [("X12_TRANSACTION_INVALID", "SE"), ("X12_GROUP_INVALID", "GE"),
                        ("X12_INTERCHANGE_INVALID", "IEA")][:ended]


def test_a_missing_se_or_ge_is_said_under_its_own_level() -> None:
    """The SE (or GE, or both) left out: pyx12 said a missing SE as a group error at the
    GE ("Unterminated segment 0001"), a missing GE as an interchange error at the IEA
    ("Unterminated Loop GS"), and with both missing closed only the transaction at the
    IEA, so that it compared IEA02 with GS06 ("IEA id=000000001 does not match ISA id=1")
    and found the interchange never closed ("IEA ... missing"): two false errors, and the
    missing GE never said."""
    text = _text("P1")
    se = text[text.index("SE*"):text.index("GE*")]
    ge = text[text.index("GE*"):text.index("IEA*")]

    def trailers(data: str) -> list[tuple[str, str | None, str]]:
        return [(f.rule, f.location.segment, f.finding.message) for r in check(data.encode())
                if r.kind == "envelope" for f in r.findings if f.snip == 1]

    no_se = ("X12_TRANSACTION_INVALID", "transaction 0001 (ST02) has no SE: this {} ends its "
             "{} while the transaction is open (SE, the transaction set trailer, closes "
             "every ST)")
    no_ge = ("X12_GROUP_INVALID", "IEA", "group 1 (GS06) has no GE: this IEA ends its "
             "interchange while the group is open (GE, the functional group trailer, closes "
             "every GS)")
    assert trailers(text.replace(se, "")) == [
        (no_se[0], "GE", no_se[1].format("GE", "group"))]
    assert trailers(text.replace(ge, "")) == [no_ge]
    assert trailers(text.replace(se, "").replace(ge, "")) == [
        (no_se[0], "IEA", no_se[1].format("IEA", "interchange")), no_ge]
    assert trailers(text) == []


def test_the_repetition_separator_in_a_value_is_said() -> None:
    """ISA11 is '^': NM1*IL*1*RO^E and a diagnosis E1^19 were read without a word (and
    write_837 then refused the claim the file had passed)."""
    text = _text("P1").replace("NM1*IL*1*ROE", "NM1*IL*1*RO^E").replace(
        "NM1*PR*2*acme health", "NM1*PR*2*acme^health")
    [result] = _claims(text.encode())
    assert [(f.rule, f.location.element, f.finding.path) for f in result.findings] == [
        ("X12_ELEMENT_CHARACTER", "NM103", "$.patient"),
        ("X12_ELEMENT_CHARACTER", "NM103", "$.payer")]
    assert result.findings[0].finding.message == (
        "NM103 'RO^E' holds '^', the repetition separator this interchange declares "
        "(ISA11), and NM103 does not repeat: a reader splits the value there (no value may "
        "hold a delimiter of its interchange); codekit reads it as written")
    assert result.claim.patient.name == "RO^E, ANN"
    [result] = _claims(_text("P1").replace("ABF:I10", "ABF:I1^0").encode())
    assert ("X12_ELEMENT_CHARACTER", "HI02-2", "$.diagnoses[1]") in [
        (f.rule, f.location.element, f.finding.path) for f in result.findings]
    # another repetition separator: '^' is then an ordinary character
    [result] = _claims(_text("P1", delimiters="*:~!").replace(
        "NM1*IL*1*ROE", "NM1*IL*1*RO^E").encode())
    assert result.ok


@pytest.mark.parametrize(("dtp", "dmg", "date"), [
    ("DTP*472*D8*202503031~", "DMG*D8*19500401*F~", None),
    ("DTP*472*D8*20250303-20250304~", "DMG*D8*19500401*F~", None),
    ("DTP*472*RD8*20250303-202503041~", "DMG*D8*19500401*F~", None),
    ("DTP*472*RD8*20250303-20250304~", "DMG*D8*195004011*F~", D(2025, 3, 3)),
])
def test_a_d8_date_that_is_not_eight_digits_is_no_date(dtp: str, dmg: str,
                                                       date: dt.date | None) -> None:
    """DTP*472*D8*202503031 (nine digits) and a range under D8 were read as 2025-03-03
    (the docs: a date that is not one is read as no date); DMG02 likewise."""
    text = _text("P1").replace("DTP*472*D8*20250303~", dtp).replace(
        "DMG*D8*19500401*F~", dmg)
    [result] = _claims(text.encode())
    assert "X12_ELEMENT_DATE_INVALID" in _rules(result)
    assert result.claim.service_lines[0].date_of_service == date
    assert result.claim.patient.birth_date == (None if "195004011" in dmg else D(1950, 4, 1))


# -- the HL hierarchy ---------------------------------------------------------------------------


def test_a_bad_hl_parent_does_not_reject_the_claims_after_it() -> None:
    """HL*2*5*22 (no HL 5): pyx12 then found HL*3*1*22 -- a right parent -- invalid too,
    and rejected the next claim for the first one's error."""
    text = _text("P1", "P2")
    assert "HL*2*1*22*0~" in text and "HL*3*1*22*0~" in text
    p1, p2 = _claims(text.replace("HL*2*1*22*0~", "HL*2*5*22*0~").encode())
    assert p2.ok and _rules(p2) == [] and p2.claim == _prof("P2")
    [f] = p1.findings
    assert (f.rule, f.location.segment, f.location.element, f.location.line) == \
        ("X12_HL_INVALID", "HL", "HL02", 13)
    assert f.finding.message == "HL parent (5) is not a valid parent"


def test_an_hl_under_the_wrong_level_is_said() -> None:
    """A subscriber (22) under a subscriber, a patient (23) under the billing provider:
    pyx12 checks only that HL02 names an open HL, and the claims passed."""
    text = _text("P1", "P2")
    p1, p2 = _claims(text.replace("HL*3*1*22*0~", "HL*3*2*22*0~").encode())
    assert p1.ok
    [f] = p2.findings
    assert (f.rule, f.snip, f.location.element, f.location.loop, f.location.line) == \
        ("X12_HL_INVALID", 1, "HL02", "2000B", 27)
    assert f.finding.message == (
        "HL 3 (subscriber, HL03 22) is under HL 2, a subscriber (HL03 22): it belongs under "
        "a billing provider (HL03 20) (value '2')")
    patient = text.replace("HL*2*1*22*0~", "HL*2*1*22*1~").replace(
        "NM1*PR*2*acme health*****PI*PAYER1~\nCLM*P1",
        "NM1*PR*2*acme health*****PI*PAYER1~\nHL*3*1*23*0~\nPAT*19~\nNM1*QC*1*KID*AL~\n"
        "N3*1 MAIN ST~\nN4*ANYTOWN*NY*100010001~\nDMG*D8*20100101*M~\nCLM*P1", 1).replace(
        "HL*3*1*22*0~", "HL*4*1*22*0~").replace("SE*39*", "SE*45*")
    p1, p2 = _claims(patient.encode())
    [f] = p1.findings
    assert (f.rule, f.location.element, f.location.loop) == ("X12_HL_INVALID", "HL02",
                                                             "2000C")
    assert f.finding.message.startswith(
        "HL 3 (patient, HL03 23) is under HL 1, a billing provider (HL03 20): it belongs "
        "under a subscriber (HL03 22)")
    assert p2.ok


def _three(*, billing: tuple[str, str, str] = ("1234567893",) * 3) -> list[Claim]:
    """Three professional claims of three people (a woman of 1951, a man of 1990, a girl
    of 2010), each its own subscriber."""
    people = [("F", D(1951, 4, 12), "M1711", "20610", ("RT",)),
              ("M", D(1990, 1, 1), "N400", "99213", ()),
              ("F", D(2010, 5, 5), "J029", "99214", ())]
    return [Claim(
        claim_type="professional", payer=f"payer {i}", claim_id=f"X{i}",
        patient=Patient(sex, born, id=f"MBR{i}", name=f"P{i}, Q"),
        date_of_service=D(2025, 11, 3), diagnoses=(dx, "I10"),
        service_lines=(ServiceLine(1, code, mods, Decimal(1), (1,),
                                   date_of_service=D(2025, 11, 3), charge=Decimal(100)),
                       ServiceLine(2, "36415", (), Decimal(1), (2,),
                                   date_of_service=D(2025, 11, 3), charge=Decimal(100))),
        billing_provider=billing[i], place_of_service="11", total_charge=Decimal(200),
        frequency_code="1", filing_indicator=("MB", "CI", "MC")[i])
        for i, (sex, born, dx, code, mods) in enumerate(people)]


def _without(text: str, start: str) -> str:
    """``text`` without its (first) segment that starts with ``start``."""
    segments = text.splitlines(keepends=True)
    del segments[next(i for i, s in enumerate(segments) if s.startswith(start))]
    return "".join(segments)


def test_a_claim_whose_subscriber_hl_is_missing_is_not_read_with_the_claim_before() -> None:
    """HL*3*1*22 deleted: claim X1 was read with X0's subscriber (MBR0, a woman of 1951:
    another person's sex and birth date) and accepted clean, while X0 got the
    X12_SEGMENT_UNEXPECTED findings of X1's SBR, NM1*IL, DMG and NM1*PR; and pyx12, which
    never takes up HL01 again, rejected every claim after it (HL count)."""
    claims = _three()
    text = write_837(claims, date=D(2025, 11, 10), newline="\n")
    assert text.count("HL*3*1*22*0~") == 1
    cut = _without(text, "HL*3*1*22*0")
    run = check(cut.encode())
    x0, x1, x2, envelope = list(run)
    assert (x0.ok, x0.claim, x0.findings) == (True, claims[0], ())
    assert (x2.ok, x2.claim, x2.findings) == (True, claims[2], ())
    assert (x1.claim_id, x1.ok, x1.claim, type(x1.error).__name__) == (
        "X1", False, None, "X12ClaimUnreadable")
    assert x1.error.reason == (
        "claim X1: its subscriber loop (2000B) has no HL: SBR at line 26 begins it after "
        "claim X0, with no HL (HL03 22) before it, so the claim's billing provider, "
        "subscriber and patient cannot be told (see X12_SEGMENT_MISSING): it is not checked")
    assert [(f.rule, f.location.segment, f.location.loop, f.location.claim_id)
            for f in x1.findings] == [
        ("X12_SEGMENT_MISSING", "SBR", "2000B", "X1"),
        ("X12_SEGMENT_UNEXPECTED", "SBR", None, "X1"),
        ("X12_SEGMENT_UNEXPECTED", "NM1", None, "X1"),
        ("X12_SEGMENT_UNEXPECTED", "DMG", None, "X1"),
        ("X12_SEGMENT_UNEXPECTED", "NM1", None, "X1"),
        # HL 4 follows HL 2: the count the missing HL put wrong, said with it
        ("X12_HL_INVALID", "HL", "2000B", "X1")]
    assert x1.findings[0].finding.message == (
        "SBR begins a subscriber loop (2000B) after claim X0, with no HL (HL03 22) before "
        "it: the subscriber's HL segment is missing, so the claims under it are not read "
        "(the hierarchy does not say whose they are)")
    assert x1.findings[-1].finding.message == "My HL count 3 does not match your HL count 4"
    assert envelope.kind == "envelope"
    assert (run.summary.claims, run.summary.accepted, run.summary.unreadable) == (3, 2, 1)
    # the last claim's subscriber HL: the same, with no HL after it
    x0, x1, x2, _ = check(_without(text, "HL*4*1*22*0").encode())
    assert (x0.claim, x1.claim, x2.claim) == (claims[0], claims[1], None)
    assert x0.ok and x1.ok and x2.error is not None
    assert x2.findings[0].finding.message.startswith(
        "SBR begins a subscriber loop (2000B) after claim X1, with no HL")


def test_a_claim_whose_billing_provider_hl_is_missing_is_not_read() -> None:
    """HL*3**20 (X1's billing provider) deleted: X1 was read with X0's billing NPI."""
    claims = _three(billing=("1234567893", "1245319599", "1245319599"))
    text = write_837(claims, date=D(2025, 11, 10), newline="\n")
    x0, x1, x2, _ = check(_without(text, "HL*3**20*1").encode())
    assert (x0.ok, x0.claim) == (True, claims[0])
    assert x1.claim is None and x2.claim is None
    assert x1.error.reason.startswith("claim X1: its billing provider loop (2000A) has no "
                                      "HL: NM1*85 at line 26 begins it after claim X0")
    assert x2.error.reason.startswith("claim X2: its billing provider loop (2000A) has no "
                                      "HL: NM1*85")
    assert [f.rule for f in x1.findings][:2] == ["X12_SEGMENT_MISSING",
                                                 "X12_SEGMENT_UNEXPECTED"]
    # the HL parent 3 that no longer is: said on the claims under it, not after them
    assert "X12_HL_INVALID" in [f.rule for f in x2.findings]


def test_an_hl01_out_of_count_is_said_at_that_hl_only() -> None:
    """HL01s numbered from 63 (as in dbx_CHPW_Claimdata.txt): pyx12 never takes up HL01,
    so it said the count at every HL and, its stack holding its own count, found every
    HL02 naming 63 "not a valid parent": three findings on each claim for one mistake.
    And one HL01 out of count (HL*3 numbered 7) is said at that HL, not at the next."""
    text = write_837(_three(), date=D(2025, 11, 10), newline="\n")
    shifted = text
    for n in (4, 3, 2, 1):
        shifted = shifted.replace(f"HL*{n}*", f"HL*{n + 62}*").replace(
            f"HL*{n + 62}*1*", f"HL*{n + 62}*63*")
    assert "HL*63**20*1~" in shifted and "HL*66*63*22*0~" in shifted
    results = [r for r in check(shifted.encode()) if r.kind == "claim"]
    for r in results:
        [f] = r.findings
        assert (f.rule, f.location.line, f.finding.message) == (
            "X12_HL_INVALID", 8, "My HL count 1 does not match your HL count 63")
    results = list(check(text.replace("HL*3*1*22*0~", "HL*7*1*22*0~").encode()))
    assert [(r.claim_id, r.ok) for r in results if r.kind == "claim"] == [
        ("X0", True), ("X1", False), ("X2", True)]
    [f] = results[1].findings
    assert (f.rule, f.location.element, f.finding.message) == (
        "X12_HL_INVALID", "HL01", "My HL count 3 does not match your HL count 7")


#: Four claims whose levels are shared the ways an 837 shares them: X0 under billing
#: provider A, X1, X2 and X3 under billing provider B; X0 and X1 each their own
#: subscriber and patient; X2 and X3 under one subscriber (S2), each with its own patient
#: (a 2000C loop: K2, K3).
_TREE_NPI = ("1234567893", "1245319599", "1245319599", "1245319599")


def _tree(kind: str) -> str:
    inst = kind == "I"
    claims = [Claim(
        claim_type="institutional" if inst else "professional", payer=f"payer {i}",
        claim_id=f"X{i}", patient=Patient("FMFM"[i], D(1950 + i, 1, 1 + i), id=f"MBR{i}",
                                          name=f"SUB{i}, Q"),
        date_of_service=D(2025, 3, 3), diagnoses=("E119",),
        service_lines=(ServiceLine(1, "" if inst else "99213", (), Decimal(1),
                                   () if inst else (1,), revenue_code="0450" if inst else None,
                                   date_of_service=D(2025, 3, 3), charge=Decimal(100)),),
        billing_provider=_TREE_NPI[i], place_of_service=None if inst else "11",
        bill_type="131" if inst else None, total_charge=Decimal(100),
        filing_indicator=("MB", "CI", "MC", "CI")[i]) for i in range(4)]
    segments = [s.split("*") for s in write_837(claims, date=D(2025, 3, 10)).split("~")[:-1]]
    out: list[list[str]] = []
    skip = False
    for e in segments:
        if e[0] == "HL" and e[3] == "22" and len([x for x in out if x[:1] == ["CLM"]]) == 3:
            skip = True  # X3's subscriber is X2's: its HL 22 and 2000B/2010Bx go
        if e[0] == "CLM":
            skip = False
            if e[1] in ("X2", "X3"):
                k = e[1][1]
                out += [["HL", "", "", "23", "0"], ["PAT", "19"], ["NM1", "QC", "1", f"KID{k}",
                        "AL"], ["N3", "1 MAIN ST"], ["N4", "ANYTOWN", "NY", "100010001"],
                        ["DMG", "D8", f"201{k}0505", "MF"[int(k) - 2]]]
        if not skip:
            out.append(e)
        if inst and e[0] == "HL" and e[3] == "20":
            # a billing provider's taxonomy (PRV*BI, situational: write_837 has none to
            # write), which also begins a 2000A loop whose HL is missing
            out.append(["PRV", "BI", "PXC", "282N00000X"])
    number, last = 0, {}
    for j, e in enumerate(out):
        if e[0] == "HL":
            number += 1
            last[e[3]] = number
            e[1] = str(number)
            e[2] = {"20": "", "22": str(last["20"]), "23": str(last.get("22"))}[e[3]]
            if e[3] == "22" and out[j + 5][0] == "HL":  # SBR NM1 DMG NM1, then HL 23
                e[4] = "1"
                out[j + 1][2] = ""  # SBR02: the subscriber is not the patient
        elif e[0] == "SE":
            e[1] = str(j - next(i for i, x in enumerate(out) if x[0] == "ST") + 1)
    return "".join("*".join(e) + "~" for e in out)


def _whose(claim: Claim) -> dict[str, object]:
    p = claim.patient
    return {"patient.id": p.id, "patient.sex": p.sex, "patient.birth_date": p.birth_date,
            "patient.name": p.name, "payer": claim.payer, "filing": claim.filing_indicator,
            "billing_provider": claim.billing_provider}


def _owners(segments: list[str]) -> list[set[str]]:
    """For each segment of a transaction, the claims whose loops it is in: every claim
    under an HL for the HL's segments, the claim for its own; none before the first HL."""
    under: dict[str, set[str]] = {}  # HL01 -> the claims under it
    chain: dict[str, str] = {}  # HL03 -> HL01 of the open level
    owner: list[tuple[str, str] | None] = []
    current: tuple[str, str] | None = None
    for segment in segments:
        e = segment.split("*")
        if e[0] == "HL":
            chain = {k: v for k, v in chain.items() if k < e[3]} | {e[3]: e[1]}
            current = ("HL", e[1])
            under[e[1]] = set()
        elif e[0] == "CLM":
            current = ("CLM", e[1])
            for hl in chain.values():
                under[hl].add(e[1])
        elif e[0] in ("SE", "GE", "IEA"):
            current = None
        owner.append(current)
    return [set() if o is None else {o[1]} if o[0] == "CLM" else under[o[1]] for o in owner]


@pytest.mark.parametrize("kind", ["P", "I"])
def test_no_claim_is_read_with_another_claims_levels_whatever_segment_is_missing(
        kind: str) -> None:
    """Each HL and each segment that starts a loop (SBR, PAT, NM1, DMG, PRV, CLM) deleted in
    turn from a four-claim file: no claim is ever read with data of another claim's
    billing provider, subscriber or patient loop (a claim whose HL was missing was read
    with the claim before it's: another person's sex and birth date, accepted); the claims
    under a missing HL are not read (not checked as clean); and the claims the deleted
    segment is not in are read as they were, with no finding (the X12_SEGMENT_UNEXPECTED
    of a claim's orphaned SBR, NM1*IL, DMG were said on the claim before it, pyx12's HL
    count on every claim after it)."""
    text = _tree(kind)
    before = {r.claim.claim_id: r for r in read_claims(text.encode())}
    assert [(cid, r.findings) for cid, r in before.items()] == [
        (f"X{i}", ()) for i in range(4)]
    assert (before["X3"].claim.patient.id, before["X3"].claim.patient.name) == ("MBR2",
                                                                                 "KID3, AL")
    own = {cid: _whose(r.claim) for cid, r in before.items()}
    segments = text.split("~")[:-1]
    owners = _owners(segments)
    assert owners[segments.index("HL*3**20*1")] == {"X1", "X2", "X3"}
    deleted = 0
    for j, segment in enumerate(segments):
        if not segment.startswith(("HL*", "SBR*", "PAT*", "NM1*", "DMG*", "PRV*", "CLM*")):
            continue
        deleted += 1
        cut = "~".join(segments[:j] + segments[j + 1:]) + "~"
        records = [r for r in read_claims(cut.encode()) if r.kind == "claim"]
        for r in records:
            if r.claim is None:
                continue
            mine = own[r.claim.claim_id]
            for key, value in _whose(r.claim).items():
                others = {cid for cid, o in own.items() if o[key] == value} - \
                    {r.claim.claim_id}
                assert value in (None, "", "unknown") or value == mine[key] or not others, \
                    (segment, r.claim.claim_id, key, value, others)
        got = {r.claim_id: r for r in records}
        if not owners[j]:
            continue  # a header segment: every claim is under it
        assert set(got) == set(own) - ({segment.split("*")[1]} if segment.startswith("CLM")
                                       else set()), segment
        for cid, r in got.items():
            if cid in owners[j]:
                if segment.startswith("HL*"):
                    assert r.claim is None and r.error is not None, (segment, cid)
                continue
            assert r.claim == before[cid].claim, (segment, cid)
            if kind == "I" and segment == "HL*6*5*23*0" and cid == "X3":
                # X2 is now a claim of subscriber S2 itself (2000B), and pyx12's 837I map
                # has a patient loop (2000C) come before a subscriber's claims: the 2000C
                # of X3 after it is out of place -- on its own segments
                assert {(f.rule, f.location.segment) for f in r.findings} == {
                    ("X12_SEGMENT_UNEXPECTED", s) for s in ("HL", "PAT", "NM1", "N3", "N4",
                                                            "DMG")}
                continue
            assert r.findings == (), (segment, cid)
    assert deleted == (33 if kind == "P" else 35)


# -- X12 text passed as a str ----------------------------------------------------------------------


def test_x12_text_in_a_str_is_read_and_other_text_is_not_quoted_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """check(text) took the str for a path: X12NotReadable '<the whole 3 MB>: cannot open the
    file: File name too long', a message of 3 MB."""
    text = _text("P1", "P2")
    assert [(r.claim_id, r.ok) for r in check(text)] == [("P1", True), ("P2", True)]
    assert [r.claim for r in read_claims("\ufeff\n " + text)] == [_prof("P1"), _prof("P2")]
    # text that is not an interchange (it starts at GS): a path, quoted by its start
    body = text[text.index("GS*"):] * 2000
    with pytest.raises(X12NotReadable) as e:
        list(check(body))
    assert len(str(e.value)) < 300
    assert str(e.value) == (
        f"'GS*HC*CODEKIT*RECEIVER*20250310*1200*1*X'... ({len(body):,} characters): cannot "
        "open the file: File name too long (this is text, not a path: X12 content is passed "
        "as bytes, a stream, or a str that starts with the ISA header)")
    with pytest.raises(X12NotReadable) as e:
        list(check("GS*HC*S*R~ST*837*0001~"))
    assert str(e.value).startswith("GS*HC*S*R~ST*837*0001~: cannot open the file: No such "
                                   "file or directory (this is text, not a path")
    with pytest.raises(X12NotReadable) as e:
        list(check("no/such.837"))
    assert str(e.value) == "no/such.837: cannot open the file: No such file or directory"
    # a file whose name starts like an ISA header is a file
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ISA*00*one.837").write_text(text)
    assert [r.claim_id for r in check("ISA*00*one.837")] == ["P1", "P2"]


# -- write_837 never writes what pyx12 rejects ----------------------------------------------------


def _without_fields(claim: Claim) -> list[tuple[str, Claim]]:
    p, ln = claim.patient, claim.service_lines[0]

    def line(**kw: object) -> Claim:
        return attrs.evolve(claim, service_lines=(attrs.evolve(ln, **kw),
                                                  *claim.service_lines[1:]))

    return [
        ("claim_id", attrs.evolve(claim, claim_id=None)),
        ("total_charge", attrs.evolve(claim, total_charge=None)),
        ("place_of_service", attrs.evolve(claim, place_of_service=None)),
        ("patient.id", attrs.evolve(claim, patient=attrs.evolve(p, id=None))),
        ("patient.id 1", attrs.evolve(claim, patient=attrs.evolve(p, id="1"))),
        ("patient.name", attrs.evolve(claim, patient=attrs.evolve(p, name=", ANN"))),
        ("patient.age", attrs.evolve(claim, patient=Patient("F", None, age=70, id="M1",
                                                            name="ROE"))),
        ("patient.sex", attrs.evolve(claim, patient=attrs.evolve(p, sex=""))),
        ("patient.sex X", attrs.evolve(claim, patient=attrs.evolve(p, sex="X"))),
        ("diagnoses", attrs.evolve(claim, diagnoses=())),
        ("service_lines", attrs.evolve(claim, service_lines=())),
        ("charge", line(charge=None)),
        ("units", line(units=None)),
        ("procedure_code", line(procedure_code="", modifiers=())),
        ("diagnosis_pointers", line(diagnosis_pointers=())),
        ("revenue_code", line(revenue_code=None)),
        ("modifier R", line(modifiers=("R",))),
        ("billing_provider 1", attrs.evolve(claim, billing_provider="1")),
        ("replacement", attrs.evolve(claim, frequency_code="7", bill_type=claim.bill_type and
                                     claim.bill_type[:2] + "7")),
    ]


@pytest.mark.parametrize("kind", ["P", "I"])
def test_write_837_refuses_or_writes_a_file_pyx12_accepts(kind: str) -> None:
    """A claim without charges, place of service or patient ID (and what else an 837
    requires) was written as a file pyx12 rejects (CLM02, CLM05-1, SV102, NM103/108/109
    missing): each one is refused (InvalidArgument) or written so that pyx12 finds nothing,
    and read back as written."""
    from codekit.errors import InvalidArgument

    full = _prof() if kind == "P" else _inst()
    refused = []
    for label, claim in _without_fields(full):
        try:
            text = write_837([claim], date=D(2025, 3, 10))
        except InvalidArgument:
            refused.append(label)
            continue
        [back] = read_claims(text.encode())
        assert [(f.rule, f.location.element) for f in back.findings if f.snip <= 2] == [], label
        assert back.claim is not None
        assert back.claim.total_charge == full.total_charge, label
    # what an 837I has no place for, or does not require, is written
    assert set(refused) == {label for label, _ in _without_fields(full)} - (
        {"total_charge", "revenue_code"} if kind == "P" else
        {"total_charge", "place_of_service", "patient.id", "procedure_code",
         "diagnosis_pointers"})


def test_write_837_names_every_missing_field_at_once() -> None:
    from codekit.errors import InvalidArgument

    claim = Claim.from_dict({
        "claim_id": "P-1", "claim_type": "professional", "payer": "medicare",
        "patient": {"sex": "F", "birth_date": "1951-04-12"}, "date_of_service": "2025-11-03",
        "diagnoses": ["M17.11"],
        "service_lines": [{"line": 1, "procedure_code": "20610", "units": 1,
                           "diagnosis_pointers": [1]}]})
    with pytest.raises(InvalidArgument) as e:
        write_837([claim])
    assert str(e.value) == (
        "claim 'P-1': an 837P requires what the claim does not have: total_charge (CLM02), "
        "place_of_service (CLM05-1), patient.name (NM103, the last name), patient.id "
        "(NM109), service_lines[0].charge (SV102): give them (write_837 does not make these "
        "up: docs/x12.md lists the values it writes that a claim does not say) (claims[0]; "
        "on_refused= skips such claims)")
    # the total is the lines' sum when every line has its charge
    line = attrs.evolve(claim.service_lines[0], charge=Decimal("75.50"))
    fixed = attrs.evolve(claim, place_of_service="11", service_lines=(line,),
                         patient=attrs.evolve(claim.patient, id="MBR1", name="DOE, JANE"))
    [back] = read_claims(write_837([fixed]).encode())
    assert back.findings == ()
    assert (back.claim.total_charge, fixed.total_charge) == (Decimal("75.50"), None)


# -- values and segments out of all proportion ----------------------------------------------------


def test_a_value_of_100000_characters_is_quoted_by_its_start() -> None:
    """NM103 of 100,000 characters: the finding's message quoted it twice (200,099
    characters)."""
    text = _text("P1", "P2").replace("NM1*IL*1*ROE", "NM1*IL*1*" + "R" * 100_000, 1)
    p1, p2 = _claims(text.encode())
    [f] = p1.findings
    assert (f.rule, f.location.element) == ("X12_ELEMENT_LENGTH", "NM103")
    assert len(f.finding.message) < 400
    assert f.finding.message.startswith(
        'Data element "Subscriber Last Name" (NM103) is too long: len("' + "R" * 40 +
        '... (100,000 characters)") = 100000 > 60')
    assert p2.ok


@pytest.mark.parametrize(("old", "new", "rule"), [
    ("LX*1~", "LX*{}~", "X12_LX_SEQUENCE"),
    ("***1:2~", "***{}:2~", "PTR_INVALID"),
])
def test_a_number_of_thousands_of_digits_is_said_not_raised(old: str, new: str,
                                                            rule: str) -> None:
    """An LX01 or an SV107 pointer of 4,301 digits or more: ``int()`` refused it
    (``ValueError: Exceeds the limit (4300 digits) for integer string conversion``) and
    ``check`` raised for the whole interchange. Now the element is too long, and the line
    is read as its position / the pointer as no pointer; the claim after it is clean."""
    digits = "9" * 5000
    text = _text("P1", "P2").replace(old, new.format(digits), 1)
    p1, p2 = _claims(text.encode())
    assert _rules(p1).count("X12_ELEMENT_LENGTH") == 1 and rule in _rules(p1)
    assert all(len(f.finding.message) < 1000 for f in p1.findings)
    assert p2.ok


def test_text_without_element_separators_is_not_taken_as_a_segment_id() -> None:
    """A 'segment' of text with no '*': its whole text was its segment ID."""
    text = _text("P1", "P2").replace("REF*6R*L1~", "GARBAGE TEXT WITH NO SEPARATOR~", 1)
    p1, p2 = _claims(text.encode())
    assert {f.location.segment for f in p1.findings} == {"GARBAGE ..."}
    assert "X12_SEGMENT_UNEXPECTED" in _rules(p1) and p2.ok


def test_a_claim_the_file_stops_being_readable_in_says_it_is_cut() -> None:
    """2 MB with no terminator inside claim P1's HI: the claim was reported as read whole
    (only "no line has a service date"), and the error named the segment "HI*"."""
    text = _text("P1", "P2").replace("HI*ABK:E119", "HI*ABK:" + "E" * 2_000_000, 1)
    records: list = []
    with pytest.raises(X12NotReadable) as e:
        records.extend(read_claims(text.encode()))
    assert (e.value.segment, e.value.line, e.value.offset) == ("HI", 19, 580)
    [p1] = records
    cut = [f for f in p1.findings if f.rule == "X12_SEGMENT_UNTERMINATED"]
    assert [(f.location.segment, f.location.line, f.location.offset, f.location.loop)
            for f in cut] == [("HI", 19, 580, "2300")]
    assert cut[0].finding.message.startswith(
        "the file cannot be read from here on (no segment terminator '~' in 1,048,576 "
        "characters")
    assert cut[0].finding.message.endswith(
        "this claim is cut off there and read as far as it goes")


_CUT = ("X12_SEGMENT_UNTERMINATED", "error")
_CUT_MESSAGE = ("the file ends inside this {} segment: it has no terminator (the file is cut "
                "off, or its last terminator is missing: X12 ends every segment with one)")


def _cut_report(data: str) -> list:
    """The claims (id, accepted) and the envelope records' findings (rule, severity,
    segment, element, line, offset) of ``data``."""
    out: list = []
    for r in check(data.encode()):
        if r.kind == "claim":
            out.append((r.claim_id, r.ok, _rules(r)))
        else:
            out.append([(f.rule, f.severity.value, f.location.segment, f.location.element,
                         f.location.line, f.location.offset) for f in r.findings])
    return out


def test_an_iea_cut_inside_an_element_says_it_is_cut() -> None:
    """...GE*1*1~IEA*1*0000 (cut inside IEA02): the IEA's envelope record had
    X12_INTERCHANGE_INVALID and X12_ELEMENT_LENGTH, no X12_SEGMENT_UNTERMINATED (the
    problem went to the interchange level, which the claims had taken)."""
    text = _text("P1", "P2")
    at = text.rindex("IEA*1*000000001~")
    report = _cut_report(text[:at] + "IEA*1*0000")
    assert report == [("P1", True, []), ("P2", True, []), [
        (*_CUT, "IEA", None, 43, at),
        ("X12_INTERCHANGE_INVALID", "error", "IEA", None, 43, at),
        ("X12_ELEMENT_LENGTH", "error", "IEA", "IEA02", 43, at)]]


def test_a_last_segment_without_its_terminator_is_an_error(tmp_path: Path) -> None:
    """The whole file but its final '~': no finding at all ("2 claim(s): 2 accepted"),
    ``codekit check`` exited 0. X12 ends every segment with the terminator, and pyx12 does
    not read the last segment without one (its IEA is 'missing'): an error on an envelope
    record at the IEA, exit 2."""
    from codekit.cli import main

    text = _text("P1", "P2")
    assert text.endswith("IEA*1*000000001~\n")
    records = list(check(text.rstrip().rstrip("~").encode()))
    assert _cut_report(text.rstrip().rstrip("~")) == [
        ("P1", True, []), ("P2", True, []),
        [(*_CUT, "IEA", None, 43, text.rindex("IEA"))]]
    assert [(r.kind, r.ok) for r in records] == [
        ("claim", True), ("claim", True), ("envelope", False)]
    assert records[2].findings[0].finding.message == _CUT_MESSAGE.format("IEA")
    path = tmp_path / "a.837"
    path.write_text(text.rstrip().rstrip("~"), newline="")
    assert main(["check", str(path), "--format", "jsonl", "--quiet"]) == 2


def test_an_hl_cut_after_a_claim_says_it_is_cut() -> None:
    """The file cut inside the HL after claim P1 (HL*3*1*22, its HL04 and the rest gone):
    the cut was said on the subscriber level of P1, which P1 had taken: lost."""
    text = _text("P1", "P2")
    at = text.index("HL*3*1*22*0~")
    assert _cut_report(text[:at] + "HL*3*1*22") == [("P1", True, []), [
        (*_CUT, "HL", None, 27, at), ("X12_ELEMENT_MISSING", "error", "HL", "HL04", 27, at)], [
        ("X12_INTERCHANGE_INVALID", "error", None, None, None, None),
        ("X12_GROUP_INVALID", "error", None, None, None, None),
        ("X12_TRANSACTION_INVALID", "error", None, None, None, None)]]


def test_a_5010_transaction_in_a_4010_interchange_is_said_at_the_isa() -> None:
    """ISA12 00401 around an 005010X222A1 transaction: the finding named element ISA12 in
    segment ST, at the ST's line."""
    text = _text("P1").replace("*00501*", "*00401*", 1)
    [result] = _claims(text.encode())
    [f] = [f for f in result.findings if f.rule == "X12_VERSION_MISMATCH"]
    assert (f.location.segment, f.location.element, f.location.line, f.location.offset) == \
        ("ISA", "ISA12", 1, 0)
    assert f.finding.message == ("ISA12 is '00401': a 5010 transaction (005010X222A1) "
                                 "travels in a 00501 interchange")


def test_a_group_of_only_an_unsupported_transaction_has_no_missing_st() -> None:
    """P1 (837P), an 837 dental transaction in a group of its own, P2: the dental group's GE
    gave an envelope record 'Mandatory loop "Transaction Set Header" (ST_LOOP) missing'
    (its map never saw the ST codekit does not validate)."""
    text = write_837([_prof("P1"), _inst(), _prof("P2")], date=D(2025, 3, 10), newline="\n")
    dental = text.replace("ST*837*0002*005010X223A2~", "ST*837*0002*005010X224A2~")
    results = list(check(dental.encode()))
    assert [(r.kind, r.claim_id, r.error.code if r.error else None) for r in results] == [
        ("claim", "P1", None), ("claim", "I1", "X12_UNSUPPORTED"), ("claim", "P2", None)]
    assert results[0].ok and results[2].ok


# -- what the guides say of single elements, and of claims in one file ----------------------


def _inst(claim_id: str = "I1") -> Claim:
    return attrs.evolve(
        _prof(claim_id), claim_type="institutional", place_of_service=None, bill_type="131",
        statement_period=(D(2025, 3, 3), D(2025, 3, 4)),
        service_lines=tuple(attrs.evolve(ln, revenue_code="0450", diagnosis_pointers=())
                            for ln in _prof().service_lines))


def _where(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.rule, f.snip, f.severity.value, f.location.element, f.location.line,
             f.finding.path) for f in result.findings]


def test_negative_charges_are_said_when_the_claim_balances() -> None:
    """CLM*P1*-165.50 over SV1 charges of -125.50 and -40: the claim balanced, so nothing
    was said and it was accepted (X12 RFI 2499: a negative charge is inconsistent with the
    elements' definitions)."""
    text = _text("P1")
    for seg in ("CLM*P1*165.50*", "SV1*HC:99213*125.50*", "SV1*HC:93000*40*"):
        assert seg in text
    neg = text.replace("CLM*P1*165.50*", "CLM*P1*-165.50*").replace(
        "SV1*HC:99213*125.50*", "SV1*HC:99213*-125.50*").replace(
        "SV1*HC:93000*40*", "SV1*HC:93000*-40*")
    [result] = _claims(neg.encode())
    assert not result.ok
    assert _where(result) == [
        ("X12_AMOUNT_NEGATIVE", 2, "error", "CLM02", 18, "$.total_charge"),
        ("X12_AMOUNT_NEGATIVE", 2, "error", "SV102", 21, "$.service_lines[0].charge"),
        ("X12_AMOUNT_NEGATIVE", 2, "error", "SV102", 25, "$.service_lines[1].charge")]
    assert [f.finding.message for f in result.findings][:2] == [
        "CLM02, the total claim charge (-165.50), is negative: a charge is zero or more; a "
        "claim sent before is corrected by a replacement (CLM05-3 7) or a void (8), not by "
        "negative amounts",
        "line 1: SV102, the line item charge (-125.50), is negative: a charge is zero or "
        "more; a claim sent before is corrected by a replacement (CLM05-3 7) or a void (8), "
        "not by negative amounts"]
    # an 837I line (SV203), where the claim does not balance: both are said
    inst = write_837([_inst()], date=D(2025, 3, 10), newline="\n")
    assert "SV2*0450*HC:99213*125.50*UN*1~" in inst
    [result] = _claims(inst.replace("SV2*0450*HC:99213*125.50*", "SV2*0450*HC:99213*-1000*")
                       .encode())
    assert [r[:5] for r in _where(result)] == [
        ("X12_AMOUNT_NEGATIVE", 2, "error", "SV203", 24),
        ("X12_CLAIM_TOTAL_MISMATCH", 3, "error", "CLM02", 18),
        # 99213 on an OPPS claim: OPPS takes G0463 (I/OCE edit 62)
        ("PROC_NOT_RECOGNIZED_BY_OPPS", 6, "error", "SV202-2", 24),
        # 93000 on a facility claim, which bills 93005 (status M: I/OCE edit 72)
        ("PROC_NOT_BILLABLE_TO_MAC", 6, "error", "SV202-2", 28)]


def test_a_claim_id_repeated_in_the_file_is_a_warning_naming_the_first() -> None:
    """P1, P2, P1 in one transaction, and P1 again in a second interchange: nothing was
    said, and the 835 could not tell the claims apart."""
    p1, p2, again = _claims(_text("P1", "P2", "P1").encode())
    assert p1.ok and _rules(p1) == [] and _rules(p2) == []
    [f] = again.findings
    assert (f.rule, f.snip, f.severity.value, f.location.element, f.location.line,
            f.finding.path) == ("X12_CLAIM_ID_DUPLICATE", 4, "warning", "CLM01", 46,
                                "$.claim_id")
    assert f.finding.message == (
        "CLM01 'P1' is also the claim ID of the claim at line 18 of this file: the 835 and "
        "277 answer a claim by its CLM01, so two claims with one ID cannot be told apart (a "
        "claim sent twice?)")
    assert again.ok and again.claim == _prof("P1")
    first, second = _claims((_text("P1") + _text("P1", interchange="000000002")).encode())
    assert _rules(first) == []
    assert [(f.rule, f.location.line) for f in second.findings] == [
        ("X12_CLAIM_ID_DUPLICATE", 47)]
    assert "claim at line 18 of this file" in second.findings[0].finding.message


def test_a_real_file_sent_twice_has_its_claim_ids_said_at_the_second() -> None:
    folder = reference("x12_837_samples")
    plain = (folder / "ims_x12_valid.txt").read_bytes()
    once = [r for r in read_claims(plain) if r.kind == "claim"]
    twice = [r for r in read_claims(plain + plain) if r.kind == "claim"]
    assert [r.claim_id for r in twice] == ["A37YH556", "A37YH667"] * 2
    assert not any(f.rule == "X12_CLAIM_ID_DUPLICATE" for r in twice[:2] for f in r.findings)
    for first, again in zip(once, twice[2:], strict=True):
        [dup] = [f for f in again.findings if f.rule == "X12_CLAIM_ID_DUPLICATE"]
        assert dup.finding.message.startswith(
            f"CLM01 {first.claim_id!r} is also the claim ID of the claim at line "
            f"{first.location.line} of this file")
        assert again.claim == first.claim


def test_837i_facility_type_and_revenue_codes_have_their_nubc_formats() -> None:
    """CLM05-1 '1A' and SV201 '73' (pyx12 reads both as text of 1-2 and 1-48 characters):
    no finding, and the claim was accepted; a three-digit revenue code is said with its
    leading zero as a hint. The type of bill 1A1 is no type of bill: the I/OCE returns the
    claim before any other edit (edit 118), so none of its path edits is said (they were:
    99213's edit 62, 93000's edit 72), and ``BILL_TYPE_INVALID`` is the CLM05-1 finding,
    said once."""
    text = write_837([_inst()], date=D(2025, 3, 10), newline="\n")
    assert "CLM*I1*165.50***13:A:1*" in text and "SV2*0450*HC:93000*" in text
    bad = text.replace("***13:A:1*", "***1A:A:1*").replace(
        "SV2*0450*HC:99213", "SV2*73*HC:99213").replace("SV2*0450*HC:93000", "SV2*450*HC:93000")
    [result] = _claims(bad.encode())
    assert _where(result) == [
        ("X12_ELEMENT_CODE_INVALID", 2, "error", "CLM05-1", 18, "$.bill_type"),
        ("X12_ELEMENT_CODE_INVALID", 2, "error", "SV201", 24, "$.service_lines[0].revenue_code"),
        ("X12_ELEMENT_CODE_INVALID", 2, "error", "SV201", 28, "$.service_lines[1].revenue_code")]
    assert [f.finding.message for f in result.findings] == [
        "(1A) is not a valid code for Facility Type Code (CLM05-1): it is the first two "
        "digits of the type of bill (NUBC; code source 236)",
        "(73) is not a valid code for Service Line Revenue Code (SV201) on line 1: NUBC "
        "revenue codes (code source 132) are four digits",
        "(450) is not a valid code for Service Line Revenue Code (SV201) on line 2: NUBC "
        "revenue codes (code source 132) are four digits (0450?)"]
    from codekit import Checker

    # the checker's own report: the type of bill alone (edit 41 is a path edit too)
    assert [(f.rule, f.location) for f in Checker().check(result.claim).findings] == [
        ("BILL_TYPE_INVALID", ("bill_type",))]
    # three characters are pyx12's X12_ELEMENT_LENGTH, said once
    [result] = _claims(text.replace("***13:A:1*", "***131:A:1*").encode())
    assert [(f.rule, f.location.element) for f in result.findings
            if f.location.element == "CLM05-1"] == [("X12_ELEMENT_LENGTH", "CLM05-1")]


# -- LX01: the lines of a claim count 1, 2, 3... -------------------------------------------

SEQ = "the 2400 lines of a claim are numbered 1, 2, 3... in order (LX01)"
POSITION = ("are not whole numbers from 1 to 999999, each its own, so every line is read as "
            "its position in the claim: this one as line")


def _lx(first: str, second: str, text: str | None = None) -> str:
    """The two-line claim P1 with LX01s ``first`` and ``second``."""
    text = text or _text("P1")
    assert text.count("LX*1~") == 1 and text.count("LX*2~") == 1
    return text.replace("LX*1~", "LX*@~").replace("LX*2~", f"LX*{second}~").replace(
        "LX*@~", f"LX*{first}~")


@pytest.mark.parametrize(("first", "second", "numbers", "said"), [
    # LX*0 was read as line 0 and a repeated LX as two lines 1, with no finding: the
    # checker got lines it could not tell apart
    ("0", "1", [1, 2], [
        (20, "$.service_lines[0].line", "LX01 is '0', but this is line 1 of the claim: "
         f"{SEQ}; the claim's LX01s (0, 1) {POSITION} 1"),
        (24, "$.service_lines[1].line", "LX01 is '1', but this is line 2 of the claim: "
         f"{SEQ}; the claim's LX01s (0, 1) {POSITION} 2")]),
    ("1", "1", [1, 2], [
        (24, "$.service_lines[1].line", "LX01 is '1', but this is line 2 of the claim: "
         f"{SEQ}; the claim's LX01s (1, 1) {POSITION} 2")]),
    ("2", "2", [1, 2], [
        (20, "$.service_lines[0].line", "LX01 is '2', but this is line 1 of the claim: "
         f"{SEQ}; the claim's LX01s (2, 2) {POSITION} 1")]),
    # out of order, or with a gap: each line keeps its own number, which is said
    ("2", "1", [2, 1], [
        (20, "$.service_lines[0].line", "LX01 is '2', but this is line 1 of the claim: "
         f"{SEQ}; the line is read as line 2, its LX01"),
        (24, "$.service_lines[1].line", "LX01 is '1', but this is line 2 of the claim: "
         f"{SEQ}; the line is read as line 1, its LX01")]),
    ("1", "3", [1, 3], [
        (24, "$.service_lines[1].line", "LX01 is '3', but this is line 2 of the claim: "
         f"{SEQ}; the line is read as line 3, its LX01")]),
    ("1", "2", [1, 2], []),
])
def test_lx01_must_count_1_2_3_in_the_claim(first: str, second: str, numbers: list[int],
                                            said: list[tuple]) -> None:
    [result] = _claims(_lx(first, second).encode())
    assert result.claim is not None
    assert [ln.line for ln in result.claim.service_lines] == numbers
    assert [(f.location.line, f.finding.path, f.finding.message)
            for f in result.findings] == said
    assert all((f.rule, f.snip, f.severity.value, f.location.element) ==
               ("X12_LX_SEQUENCE", 2, "error", "LX01") for f in result.findings)
    # the claim checks: no line number the checker cannot tell apart reaches it
    assert result.report is not None
    assert result.report.line_numbers == tuple(numbers)


def test_a_lx01_that_is_not_a_number_takes_the_lines_position() -> None:
    """LX*A: pyx12 says the character; the line was read as the number of lines before it
    plus one, which another line may have had (LX*2, LX*A: two lines 2)."""
    [result] = _claims(_lx("2", "A").encode())
    assert result.claim is not None
    assert [ln.line for ln in result.claim.service_lines] == [1, 2]
    assert [(f.rule, f.location.line, f.finding.path) for f in result.findings] == [
        ("X12_ELEMENT_CHARACTER", 24, "$.service_lines[1].line"),
        ("X12_LX_SEQUENCE", 20, "$.service_lines[0].line"),
        ("X12_LX_SEQUENCE", 24, "$.service_lines[1].line")]
    assert result.findings[2].finding.message == (
        f"LX01 is 'A', but this is line 2 of the claim: {SEQ}; the claim's LX01s (2, A) "
        f"{POSITION} 2")


def test_a_lx01_over_six_digits_takes_the_lines_position() -> None:
    """LX*1000000 (LX01 is at most 6 digits): pyx12 says the length; the line was read as
    line 1000000."""
    [result] = _claims(_lx("1", "1000000").encode())
    assert result.claim is not None
    assert [ln.line for ln in result.claim.service_lines] == [1, 2]
    assert [(f.rule, f.location.line, f.finding.path) for f in result.findings] == [
        ("X12_ELEMENT_LENGTH", 24, "$.service_lines[1].line"),
        ("X12_LX_SEQUENCE", 24, "$.service_lines[1].line")]
    assert result.findings[1].finding.message == (
        f"LX01 is '1000000', but this is line 2 of the claim: {SEQ}; the claim's LX01s (1, "
        f"1000000) {POSITION} 2")


def test_a_repeated_lx_of_a_line_kept_in_extra_gets_its_position() -> None:
    """LX*1 twice, the second an SV101-1 ER line (kept in extra, not a codekit line): its
    row said line 1 too, the number of the claim's line 1."""
    text = _lx("1", "1").replace("SV1*HC:93000*40*", "SV1*ER:X1234*40*")
    [result] = _claims(text.encode())
    assert result.claim is not None
    assert [ln.line for ln in result.claim.service_lines] == [1]
    assert [row["line"] for row in result.claim.extra["x12_other_procedure_codes"]] == [2]
    assert [(f.rule, f.location.line, f.finding.path, f.finding.message[:50])
            for f in result.findings] == [
        ("X12_LX_SEQUENCE", 24, "$", "LX01 is '1', but this is line 2 of the claim: the "),
        ("X12_PROCEDURE_CODE_SET", 25, "$", "line 2: SV101-1 ER (a jurisdiction-specific code):")]

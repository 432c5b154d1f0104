"""A code as the 837 sends it: the one definition the 837 reader and write_837 share.

The reader says where a code of the file is not written so (``_checks.code_formats``:
``X12_CODE_FORMAT`` when it stands for a code, with the value to send; a NUBC code of no
code list's shape ``X12_ELEMENT_CODE_INVALID``), and write_837 refuses a claim whose code
it would write so (:func:`refusal`). Both ask this module, so the writer refuses exactly
what the reader flags:

- an HI ICD code (ICD-10-CM diagnoses, ICD-10-PCS procedures, their ICD-9-CM forms): no
  decimal point (the 837P and 837I TR3s' HI notes: it is implied, not sent), no leading
  space (X12 keeps leading spaces as part of the value: ``' I10'`` is another code), upper
  case (the code lists are);
- an SV101-2/SV202-2 CPT/HCPCS code and an SV101-3..6/SV202-3..6 modifier: no leading
  space, upper case;
- an HI condition (BG), occurrence (BH), occurrence span (BI) or value (BE) code: two
  upper-case letters or digits, the shape of every code of the NUBC lists (code source
  132: ``07``, ``G0``, ``A1``, ``70``, ``80``);
- an NDC in LIN03 beside LIN02 ``N4`` ("National Drug Code in 5-4-2 Format"): 11 digits,
  no hyphens.

Trailing spaces and characters outside ASCII are not this module's to say: pyx12 says
them (``X12_ELEMENT_CHARACTER``: trailing spaces, a character outside the X12 character
set) and write_837 refuses them in every value, a code or not.
"""

from __future__ import annotations

__all__ = ["ICD", "NDC", "NUBC", "NUBC_NAMES", "PROCEDURE", "ndc_11", "nubc", "refusal",
           "sent_as", "usual"]

#: The kinds of code :func:`refusal` knows: an HI ICD code, a CPT/HCPCS code or modifier,
#: a NUBC code of HI (condition, occurrence, span, value), an NDC of LIN03.
ICD, PROCEDURE, NUBC, NDC = "icd", "procedure", "nubc", "ndc"

#: HI qualifiers of the NUBC code lists the 837 sends in HI (code source 132), with the
#: name the guides give HI0x-2 and what the list's codes are called: condition codes (BG,
#: 837P and 837I), occurrence codes (BH), occurrence span codes (BI) and value codes (BE,
#: whose amount is HI0x-5), the last three 837I only.
NUBC_NAMES = {"BG": ("Condition Code", "condition codes"),
              "BH": ("Occurrence Code", "occurrence codes"),
              "BI": ("Occurrence Span Code", "occurrence span codes"),
              "BE": ("Value Code", "value codes")}


def usual(code: str) -> bool:
    """Whether ``code`` is the usual code, upper-case letters and digits (``E119``,
    ``99213``, ``25``, ``RT``): nothing to say of how it is written, and no further call
    (every claim pays for this test)."""
    return code.isalnum() and (code.isupper() or code.isdigit())


def sent_as(code: str, icd: bool) -> tuple[str, list[str]] | None:
    """A code value as the 837 sends it, and what is wrong with ``code`` (one element or
    component, as written), or None when nothing is (or only what pyx12 says is: trailing
    spaces, characters outside ASCII, X12_ELEMENT_CHARACTER): no space before it (X12
    keeps leading spaces of a value, so ``' I10'`` is another code), upper case (code
    lists are), and for an ICD code (``icd``) no decimal point (the TR3s' HI notes: it is
    implied, not sent).

    >>> sent_as("E11.9", True)
    ('E119', ['a decimal point, which the 837 does not send (it is implied)'])
    >>> sent_as(" j0696", False)[0], sent_as("E119", True), sent_as("E119 ", True)
    ('J0696', None, None)
    >>> sent_as("e１１9", True) is None  # full-width digits: outside X12's characters
    True
    """
    if usual(code) or not code.isascii():
        return None  # the usual code: E119, 99213, 25, RT; or pyx12's to say
    fixed = code.strip(" ")
    if icd:
        fixed = fixed.replace(".", "")
    fixed = fixed.upper()
    if not fixed or fixed == code.rstrip(" "):
        return None
    what = []
    if code[:1] == " ":
        what.append("a leading space, which X12 keeps as part of the value")
    if icd and "." in code:
        what.append("a decimal point, which the 837 does not send (it is implied)")
    if code != code.upper():
        what.append("lower-case letters (code lists are upper case)")
    return fixed, what


def nubc(code: str) -> tuple[str | None, str] | None:
    """None when ``code`` is written as the 837 sends a NUBC condition, occurrence, span
    or value code -- two upper-case letters or digits -- or when only pyx12 has something
    to say of it (trailing spaces, characters outside ASCII); else the code to send when
    it stands for one (its leading space or lower case gone: ``X12_CODE_FORMAT``), or
    None (no code of the lists has its shape: ``X12_ELEMENT_CODE_INVALID``), and what is
    wrong.

    >>> nubc("07"), nubc("41 "), nubc(" 41")
    (None, None, ('41', 'a leading space, which X12 keeps as part of the value'))
    >>> nubc("g0")
    ('G0', 'lower-case letters (code lists are upper case)')
    >>> nubc("7"), nubc("4.1")
    ((None, 'it is 1 character (07?)'), (None, 'it is 3 characters'))
    """
    if len(code) == 2 and usual(code):
        return None
    raw = code.rstrip(" ")
    if not raw.isascii() or (len(raw) == 2 and usual(raw)):
        return None
    got = sent_as(raw, False)
    fixed = got[0] if got is not None else raw
    if got is not None and len(fixed) == 2 and fixed.isalnum():
        return fixed, " and ".join(got[1])
    hint = f" (0{fixed}?)" if len(fixed) == 1 and fixed.isdigit() else ""
    n = len(raw)
    return None, f"it is {n} character{'s' * (n != 1)}{hint}"


#: The 10-digit NDC layouts (labeler-product-package) with the 11-digit 5-4-2 form each
#: pads to: a zero before the part that is one digit short.
_NDC_PAD: dict[tuple[int, ...], tuple[int, str]] = {
    (4, 4, 2): (0, "a 0 before the labeler code"),
    (5, 3, 2): (1, "a 0 before the product code"),
    (5, 4, 1): (2, "a 0 before the package code")}


def ndc_11(text: str) -> tuple[str | None, str] | None:
    """None when ``text`` is an NDC as LIN03 sends it (LIN02 ``N4``, "National Drug Code
    in 5-4-2 Format": 11 digits, no hyphens); else the 11 digits when its hyphens say
    them unambiguously -- 5-4-2 without its hyphens, or a 10-digit NDC in the 4-4-2, 5-3-2
    or 5-4-1 layout with the standard zero (None otherwise: ``0641037621`` could be any of
    the three) -- and what to say of it.

    >>> ndc_11("00641037621"), ndc_11("00641-0376-21")[0], ndc_11("0641-0376-21")[0]
    (None, '00641037621', '00641037621')
    >>> ndc_11("50242-040-62")[0], ndc_11("60575-4112-1")[0], ndc_11("0641037621")[0]
    ('50242004062', '60575411201', None)
    """
    if len(text) == 11 and text.isascii() and text.isdigit():
        return None
    parts = text.split("-")
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
        layout = tuple(len(p) for p in parts)
        shown = "-".join(str(n) for n in layout)
        if layout == (5, 4, 2):
            return "".join(parts), "it is the 5-4-2 NDC with its hyphens"
        pad = _NDC_PAD.get(layout)
        if pad is not None:
            padded = [("0" + p if i == pad[0] else p) for i, p in enumerate(parts)]
            return "".join(padded), (f"it is a 10-digit NDC in the {shown} layout, which is "
                                     f"11 digits with {pad[1]}")
        return None, f"its hyphens make a {shown} layout, which is no NDC layout"
    digits = sum(ch.isascii() and ch.isdigit() for ch in text)
    if len(text) == 10 and digits == 10:
        return None, ("it is 10 digits without hyphens: which of the 4-4-2, 5-3-2 and 5-4-1 "
                      "layouts it is (where the 0 goes) is not known")
    return None, f"it is {len(text)} characters, {digits} of them digits"


def refusal(value: str, kind: str) -> str | None:
    """What write_837 says of a code it would write as ``value`` (the element's text: a
    diagnosis without its decimal point) when the reader would say that it is not written
    as the 837 sends a code of ``kind`` (:data:`ICD`, :data:`PROCEDURE`, :data:`NUBC`,
    :data:`NDC`), else None.

    >>> refusal("E119", ICD), refusal("E11.9", PROCEDURE), refusal("e119", ICD)[-40:]
    (None, None, ' (code lists are upper case) (send E119)')
    >>> refusal("7", NUBC)[-43:], refusal("0641037621", NDC)[-12:]
    ('letters or digits): it is 1 character (07?)', 'is not known')
    """
    if kind == NDC:
        got = ndc_11(value)
        if got is None:
            return None
        fixed, why = got
        return ("is not an NDC as LIN03 holds it (LIN02 N4: the 5-4-2 format, 11 digits "
                f"without hyphens): {why}" + (f" (send {fixed})" if fixed else ""))
    if kind == NUBC:
        shape = nubc(value)
        if shape is None:
            return None
        fixed, why = shape
        if fixed is None:
            return ("is not a code of the NUBC lists as the 837 sends it (HI BG, BH, BI, BE: "
                    f"two upper-case letters or digits): {why}")
        return f"is not written as the 837 sends a code: it has {why} (send {fixed})"
    sent = sent_as(value, kind == ICD)
    if sent is None:
        return None
    return (f"is not written as the 837 sends a code: it has {' and '.join(sent[1])} "
            f"(send {sent[0]})")

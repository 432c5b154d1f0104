"""Payer routing: which profile judges a claim, from what the claim says about its payer.

A claim names its payer in ``payer`` (a name or id, as the sender writes it:
``"Medicare Part B"``, ``"MCR"``, ``"Aetna"``) and, from an 837, ``filing_indicator``
(SBR09: ``MB`` Medicare Part B, ``MA`` Part A, ``MC`` Medicaid, ``CI`` commercial ...).
:class:`PayerRouting` maps both to a payer *family*; the family and the kind of claim pick
the profile (Medicare: ``medicare-inpatient`` for a type of bill 11x,
``medicare-outpatient`` for other institutional claims, ``medicare-dme`` for a
professional claim that says it is a DMEPOS supplier's (``Claim.dme_supplier``: an 837P
to a DME MAC carries nothing that says so for certain), ``medicare-professional``; every
other family: ``commercial``). A payer the routing cannot place is never a silent
fallback: the report carries a ``PAYER_UNROUTED`` notice (``strict=True`` makes it an
error finding, ``PAYER_UNKNOWN``, instead).

>>> r = PayerRouting()
>>> r.family("Medicare Part B", None), r.family("mcr", None), r.family("", "MB")
('medicare', 'medicare', 'medicare')
>>> r.family("Aetna Better Health", "CI"), r.family("Acme Health", None)
('commercial', None)
>>> custom = r.evolve(names={"acme health": "medicare"})
>>> custom.family("ACME Health", None)
'medicare'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ..claims import Claim
    from .engine import Profile

__all__ = ["FAMILIES", "FILING_INDICATORS", "NAMES", "PayerRouting", "Route", "bill_type_problem",
           "profile_name", "route"]

#: X12 837 SBR09 claim filing indicator codes and the payer family each means.
FILING_INDICATORS: dict[str, str] = {
    "MA": "medicare",  # Medicare Part A
    "MB": "medicare",  # Medicare Part B
    "16": "commercial",  # Health Maintenance Organization (HMO) Medicare Risk (Advantage)
    "MC": "medicaid",
    "CH": "commercial",  # CHAMPUS (TRICARE)
    "VA": "commercial",  # Veterans Affairs plan
    "OF": "commercial",  # other federal program
    "FI": "commercial",  # Federal Employees Program
    "TV": "medicaid",  # Title V (maternal and child health)
    "CI": "commercial", "BL": "commercial", "HM": "commercial", "11": "commercial",
    "12": "commercial", "13": "commercial", "14": "commercial", "15": "commercial",
    "17": "commercial", "AM": "commercial", "DS": "commercial", "LM": "commercial",
    "WC": "commercial", "ZZ": "commercial",
}

#: The payer families (a routing may also name a profile of the checker).
FAMILIES = frozenset({"medicare", "medicaid", "commercial"})

#: Payer names (lower case, spaces collapsed) that mean a family.
NAMES: dict[str, str] = {
    "medicare": "medicare", "mcr": "medicare", "cms": "medicare",
    "medicare part a": "medicare", "medicare part b": "medicare",
    "medicare a": "medicare", "medicare b": "medicare",
    "medicare fee-for-service": "medicare", "medicare ffs": "medicare",
    "original medicare": "medicare", "traditional medicare": "medicare",
    "medicaid": "medicaid",
    "commercial": "commercial", "unknown": "", "": "",
}

_SPACE = re.compile(r"\s+")


def _names(m: Mapping[str, str]) -> dict[str, str]:
    return {_key(k): v for k, v in m.items()}


def _indicators(m: Mapping[str, str]) -> dict[str, str]:
    return {k.strip().upper(): v for k, v in m.items()}


@attrs.frozen
class PayerRouting:
    """Payer names and claim filing indicators -> payer family; see the module doc.

    ``names`` and ``filing_indicators`` add to or override the built-in maps
    (:data:`NAMES`, :data:`FILING_INDICATORS`); a family is ``"medicare"``,
    ``"medicaid"`` or ``"commercial"`` (or the name of a profile of the checker, to send
    the payer's claims there). ``default`` is the family of a payer nothing places
    (``"commercial"``), reported as a notice; with ``strict`` the claim gets the
    ``PAYER_UNKNOWN`` error instead. A FHIR insurer reference or a payer id works as a name.
    A name mapped to anything else (``{"acme health plan": "acme"}``) gives the payer an
    ID that policies may name (``payer: acme``), but no family: its claims are checked
    under ``default``, with the same notice (or error), and the policies for the default
    family apply to them as well as those for ``acme``.
    """

    names: Mapping[str, str] = attrs.field(factory=dict, converter=_names)
    filing_indicators: Mapping[str, str] = attrs.field(factory=dict, converter=_indicators)
    default: str = "commercial"
    strict: bool = False

    def evolve(self, *, names: Mapping[str, str] | None = None,
               filing_indicators: Mapping[str, str] | None = None, default: str | None = None,
               strict: bool | None = None) -> PayerRouting:
        """A copy with more names / indicators (or another default, or strictness)."""
        return PayerRouting(
            names={**self.names, **(names or {})},
            filing_indicators={**self.filing_indicators, **(filing_indicators or {})},
            default=self.default if default is None else default,
            strict=self.strict if strict is None else strict)

    def family(self, payer: str | None, filing_indicator: str | None) -> str | None:
        """The family of a claim's payer, or None when nothing places it. The filing
        indicator decides when it is known; otherwise the payer's name."""
        if filing_indicator:
            code = filing_indicator.strip().upper()
            found = self.filing_indicators.get(code) or FILING_INDICATORS.get(code)
            if found:
                return found
        key = _key(payer or "")
        found = self.names.get(key)
        if found is None:
            found = NAMES.get(key)
        return found or None


def _key(name: str) -> str:
    return _SPACE.sub(" ", name.strip().lower())


@attrs.frozen
class Route:
    """Where a claim goes: its profile, its payer family (what policies match on), and
    what the report must say about it (None when the routing placed the payer)."""

    profile: Profile
    payer: str
    #: ``"unrouted"`` (the default family was used: a notice), ``"unknown"`` (strict
    #: routing: an error finding) or ``"no-editor"`` (a Medicare institutional claim of a
    #: type of bill neither CMS editor takes, checked as outpatient: a notice), else None.
    problem: str | None = None
    #: The payer ID the routing gave that is no family and no profile (``"acme"`` for
    #: ``names={"acme health plan": "acme"}``): the claim is checked under the default
    #: family (``payer``) with a notice, and policies for either name apply to it.
    plan: str | None = None


#: The types of bill (first two digits) the CMS I/OCE processes (its logic paths: the
#: hospital outpatient, SNF and home health Part B, CMHC, clinic, hospice, CAH and other
#: outpatient bill types; some for OPPS or non-OPPS claims only). The MCE takes 11x.
IOCE_BILL_TYPES = frozenset({"12", "13", "14", "22", "23", "32", "34", "43", "71", "72",
                             "73", "74", "75", "76", "77", "78", "81", "82", "83", "84",
                             "85", "87", "89"})


def bill_type_problem(bill_type: str | None) -> str | None:
    """What makes a type of bill as written not one, or None (not given, or well formed).

    A type of bill (UB-04 FL4; 837I CLM05-1, the facility type code, and CLM05-3, the
    frequency) is three characters: the type of facility (a digit, 1-8: 9 is reserved
    for national assignment, and 0 is none), the bill classification (a digit) and the
    frequency (a digit or a letter): the NUBC's type of bill codes, as the MACs publish
    them (e.g. Noridian JE, "Bill Types"). The UB-04's four-character form, a leading zero and
    the three (``0131``), is read as the three; spaces around it are dropped. Only the
    form is judged here: whether a well-formed type of bill is one a CMS editor takes is
    :func:`edited_by_cms`'s.

    >>> bill_type_problem("131"), bill_type_problem("0131"), bill_type_problem(None)
    (None, None, None)
    >>> bill_type_problem("1X1")
    'does not start with two digits (the type of facility and the bill classification)'
    >>> bill_type_problem("13"), bill_type_problem("  ")
    ('has 2 characters, not 3', 'is blank')
    """
    if bill_type is None:
        return None
    written = bill_type.strip()
    if not written:
        return "is blank"
    if len(written) == 4 and written[0] == "0":
        written = written[1:]  # the UB-04's FL4: a leading zero, then the three
    if len(written) != 3:
        return f"has {len(written)} character{'' if len(written) == 1 else 's'}, not 3"
    if not (written[:2].isascii() and written[:2].isdigit()):
        return ("does not start with two digits (the type of facility and the bill "
                "classification)")
    if written[0] == "0":
        return "starts with 0, which is no type of facility"
    if written[0] == "9":
        return ("starts with 9, a type of facility the NUBC reserves for national "
                "assignment (none in use)")
    if not (written[2].isascii() and written[2].isalnum()):
        return "ends with a frequency that is not a digit or a letter"
    return None


def edited_by_cms(bill_type: str | None) -> bool | None:
    """Whether CMS runs one of its editors (the MCE for 11x, the I/OCE for
    :data:`IOCE_BILL_TYPES`) on a type of bill; None when it is not given, or is not a
    type of bill (:func:`bill_type_problem`: ``BILL_TYPE_INVALID`` says so under
    ``medicare-outpatient``).

    >>> edited_by_cms("0131"), edited_by_cms("211"), edited_by_cms(None)
    (True, False, None)
    >>> edited_by_cms("1X1"), edited_by_cms("999")
    (None, None)
    """
    if bill_type_problem(bill_type) is not None:
        return None
    digits = (bill_type or "").strip().lstrip("0")
    if len(digits) < 2:
        return None
    return digits[:2] == "11" or digits[:2] in IOCE_BILL_TYPES


#: The routing of a checker made without one.
DEFAULT = PayerRouting()


def route(claim: Claim, profiles: Mapping[str, Profile],
          routing: PayerRouting | None = None) -> Route:
    """The profile and payer family of ``claim`` (see the module doc)."""
    routing = routing or DEFAULT
    family = routing.family(claim.payer, claim.filing_indicator)
    problem = plan = None
    if family is None:
        family = routing.default
        problem = "unknown" if routing.strict else "unrouted"
    elif family not in FAMILIES and family not in profiles:
        # a payer ID of the user's (policies may name it), but no family: the default's
        # profile judges the claim, which the report says, as for a payer not placed
        plan, family = family, routing.default
        problem = "unknown" if routing.strict else "unrouted"
    name = profile_name(claim, family, profiles)
    if problem is None and family == "medicare" and name == "medicare-outpatient" and \
            edited_by_cms(claim.bill_type) is False:
        problem = "no-editor"
    return Route(profiles[name], family, problem, plan)


def profile_name(claim: Claim, family: str, profiles: Mapping[str, Profile]) -> str:
    """The profile of ``profiles`` a claim of payer ``family`` goes to."""
    if family in profiles:
        return family
    if family == "medicare":
        if claim.is_inpatient:
            return "medicare-inpatient"
        if claim.is_institutional:
            return "medicare-outpatient"
        if claim.dme_supplier and "medicare-dme" in profiles:
            return "medicare-dme"
        return "medicare-professional"
    return "commercial"

"""Result objects: what codekit knows about a procedure code or a modifier on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .._json import jsonable
from ._format import Category
from ._mpfs import MpfsIndicators

__all__ = ["DATE_EDITS", "CptEntry", "DateLimit", "HcpcsEntry", "ModifierEntry",
           "ProcedureEntry"]

Range = tuple[dt.date, dt.date | None]

#: The IOCE date edits: edit number -> (codekit finding ID, what the dates are, which side
#: of the window the edit checks: "before" the approval date, "after" the termination
#: date, or "outside" either).
DATE_EDITS: dict[int, tuple[str, str, str]] = {
    67: ("PROC_BEFORE_FDA_APPROVAL", "FDA approval", "before"),
    68: ("PROC_BEFORE_NCD_APPROVAL", "National Coverage Determination (or demonstration) "
         "approval", "before"),
    69: ("PROC_OUTSIDE_APPROVAL_PERIOD", "CMS approval period", "outside"),
    83: ("PROC_AFTER_NCD_NONCOVERAGE", "coverage, ended by a National Coverage "
         "Determination of non-coverage", "after"),
    110: ("PROC_BEFORE_MARKETING_DATE", "initial marketing date", "before"),
    134: ("PROC_OUTSIDE_DESIGNATED_PERIOD", "CMS-designated approval period", "outside"),
    136: ("PROC_BEFORE_ACIP_DATE", "ACIP recommendation", "before"),
}


@attrs.frozen
class DateLimit:
    """The dates inside a quarter between which CMS lets a code be reported, and the IOCE
    edit that enforces them: a code approved or ended mid-quarter (an EUA vaccine, a drug
    before its FDA approval, a test after a non-coverage NCD).

    >>> from codekit import procedure
    >>> lim = procedure.date_limit("0001A", on="2023-06-01")
    >>> lim.ioce_edit, lim.rule, lim.approved, lim.terminated
    (134, 'PROC_OUTSIDE_DESIGNATED_PERIOD', datetime.date(2020, 12, 11), datetime.date(2023, 4, 17))
    >>> lim.allows(dt.date(2023, 4, 17)), lim.violated_on(dt.date(2023, 6, 1))
    (True, True)
    """

    #: The IOCE edit number (67, 68, 69, 83, 110, 134, 136).
    ioce_edit: int
    #: The first day the code may be reported (None: no lower limit).
    approved: dt.date | None
    #: The last day the code may be reported (None: no upper limit).
    terminated: dt.date | None

    @property
    def rule(self) -> str:
        """The finding ID of the edit (``docs/catalog.md``)."""
        return DATE_EDITS[self.ioce_edit][0]

    @property
    def what(self) -> str:
        """What the dates are ("FDA approval", "initial marketing date" ...)."""
        return DATE_EDITS[self.ioce_edit][1]

    def allows(self, day: dt.date) -> bool:
        """True when ``day`` lies within the dates (validity at day precision)."""
        return (self.approved is None or self.approved <= day) and \
            (self.terminated is None or day <= self.terminated)

    def violated_on(self, day: dt.date) -> bool:
        """True when the IOCE edit fires on ``day``: before the approval date for the
        "before" edits, after the termination date for 83, either for 69 and 134."""
        side = DATE_EDITS[self.ioce_edit][2]
        early = self.approved is not None and day < self.approved
        late = self.terminated is not None and day > self.terminated
        return early if side == "before" else late if side == "after" else early or late

    def explain(self, day: dt.date) -> str:
        """Why ``day`` is outside the dates, in words (``""`` when it is not)."""
        if self.approved is not None and day < self.approved:
            return f"before its {self.what} on {self.approved} (IOCE edit {self.ioce_edit})"
        if self.terminated is not None and day > self.terminated:
            return (f"after the last day of its {self.what}, {self.terminated} (IOCE edit "
                    f"{self.ioce_edit})")
        return ""


@attrs.frozen(kw_only=True)
class ProcedureEntry:
    """What codekit knows about a CPT or HCPCS code on a date of service.

    ``valid_ranges`` are the date ranges (``end`` inclusive, None = open) in which the code
    may be reported. The bundled data starts with the IOCE quarter of 2019-07-01: a range
    starting then may have started earlier, and earlier dates are answered as of that
    quarter (``note`` says so).
    """

    #: The 5-character code.
    code: str
    #: ``"cpt"`` or ``"hcpcs"``.
    system: str
    #: Layout of the code (Category I, vaccine, MAAA, Category II/III, PLA, Level II).
    category: Category
    #: The date of service asked about.
    on: dt.date
    #: True when the code may be reported on ``on``.
    valid: bool
    valid_ranges: tuple[Range, ...] = ()
    #: OPPS status indicator on the date (or the nearest date the code existed).
    status_indicator: str | None = None
    status_description: str | None = None
    #: Lowest and highest patient age (whole years) the IOCE accepts; None = no limit.
    min_age: int | None = None
    max_age: int | None = None
    #: Sex the code is limited to ("M"/"F"): for CPT codes, by range (the male and female
    #: genital systems, maternity care); the IOCE tables mark no procedure by sex.
    sex: str | None = None
    #: IOCE bilateral designation: "conditional", "independent", "inherent" or None.
    bilateral: str | None = None
    #: NCCI add-on code type (1, 2 or 3) or None.
    addon_type: int | None = None
    #: MPFS global surgery days (``"000"``, ``"010"``, ``"090"``, ``"XXX"``...), when an
    #: MPFS RVU file is loaded (:func:`codekit.procedure.load_mpfs`); else None.
    global_days: str | None = None
    #: The code's row of a loaded MPFS RVU file: status code, PC/TC, bilateral, assistant
    #: at surgery, co-surgeon and team surgery indicators (see
    #: :class:`codekit.procedure.MpfsIndicators`); None without one.
    mpfs: MpfsIndicators | None = None
    #: Other IOCE flags set on the date (e.g. "separate_procedure", "telehealth").
    flags: tuple[str, ...] = ()
    #: The data release the attributes come from: the IOCE quarter (``"IOCE 26.0.5"``), or
    #: the loaded CMS HCPCS file that answered (``"HCPC2026_JUL_ANWEB"``).
    release: str | None = None
    #: Why the answer may need care (a date outside the bundled data...).
    note: str | None = None
    #: False when no data codekit has describes ``on`` (before 2019-07-01, or after the
    #: last bundled quarter with no loaded file covering it): the answer is the nearest
    #: quarter's, and ``note`` says so. Machine-readable, for reports.
    covered: bool = True
    #: The code's approval window in the quarter of ``on`` when CMS approved or ended it
    #: mid-quarter (validity is then exact to the day), with the IOCE date edit.
    date_limit: DateLimit | None = None
    #: For a Level II code discontinued before ``on``: the codes CMS names in its place
    #: (the ``XREF`` columns of its HCPCS file, bundled for October 2025 or loaded) that
    #: may be reported on ``on``; the ``replacements`` of the code's
    #: :class:`~codekit.NotValidOnDate`, under the same name (G2012 after 2024-12-31:
    #: ``("98016",)``). Empty otherwise, and where CMS names none (J1030).
    replacements: tuple[str, ...] = ()

    @property
    def title(self) -> str | None:  # pragma: no cover - overridden
        """The code's title: a HCPCS Level II code's CMS description; a CPT code's
        licensed descriptor only when the user loaded one (codekit ships none: None)."""
        return None

    @property
    def short_title(self) -> str | None:  # pragma: no cover - overridden
        """The short form of :attr:`title` (the contract's name, as ICD-10-CM's and
        ICD-10-PCS's order-file short titles): a HCPCS Level II code's CMS short
        descriptor; None for a CPT code (codekit ships no CPT text)."""
        return None

    @property
    def formatted(self) -> str:
        """The code as printed (procedure codes have no punctuation: the code)."""
        return self.code

    def as_dict(self) -> dict[str, Any]:
        """Everything about the entry as plain data (dates as ISO strings), for JSON: its
        fields, and the contract's names every code system's ``as_dict()`` has
        (``formatted``, ``title``, ``short_title``).

        >>> from codekit import hcpcs
        >>> d = hcpcs.lookup("G0121", on="2025-02-01").as_dict()
        >>> d["formatted"], d["short_title"], d["valid_ranges"][0]
        ('G0121', 'Colon ca scrn not hi rsk ind', ['2019-07-01', None])
        """
        return _as_dict(self)

    @property
    def is_addon(self) -> bool:
        """Whether the code is an NCCI add-on code (:attr:`addon_type` 1, 2 or 3): it is
        reported only with a primary procedure.

        >>> from codekit import procedure
        >>> procedure.lookup("11045", on="2025-10-01").is_addon
        True
        """
        return self.addon_type is not None

    def _repr_html_(self) -> str:
        from .. import _html

        return _html.entry(self)


@attrs.frozen(kw_only=True)
class CptEntry(ProcedureEntry):
    """A CPT (HCPCS Level I) code on a date.

    >>> from codekit import cpt
    >>> e = cpt.validate("99213", on="2025-02-01")
    >>> e.section, e.subsection, e.category.label, e.title
    ('Evaluation and Management', 'Office and outpatient visits', 'CPT Category I', None)
    """

    #: CPT section by code range (Surgery, Radiology, Medicine...).
    section: str | None = None
    #: Subsection by range (for Surgery, the body system).
    subsection: str | None = None
    #: The CPT descriptor, only when the user loaded a licensed descriptor file (the
    #: contract's name for it is :attr:`title`).
    descriptor: str | None = None

    @property
    def title(self) -> str | None:
        """The licensed descriptor (``None`` unless one was loaded): :attr:`descriptor`
        under the name every code system shares."""
        return self.descriptor

    @property
    def short_title(self) -> str | None:
        """None: codekit has no short form of a CPT descriptor (a loaded descriptor file
        gives one text, :attr:`title`)."""
        return None


@attrs.frozen(kw_only=True)
class HcpcsEntry(ProcedureEntry):
    """A HCPCS Level II code on a date.

    >>> from codekit import hcpcs
    >>> e = hcpcs.validate("G0121", on="2025-02-01")
    >>> e.short_description, e.status_indicator
    ('Colon ca scrn not hi rsk ind', 'T')
    """

    #: What the first letter stands for.
    section: str | None = None
    #: The CMS short descriptor (28 characters); the contract's name for it is
    #: :attr:`short_title`.
    short_description: str | None = None
    #: The CMS long descriptor, when a CMS HCPCS file was loaded.
    long_description: str | None = None

    @property
    def title(self) -> str | None:
        """The long descriptor when known, else the short one."""
        return self.long_description or self.short_description

    @property
    def short_title(self) -> str | None:
        """:attr:`short_description` (the CMS short descriptor) under the name every code
        system shares.

        >>> from codekit import hcpcs
        >>> hcpcs.lookup("E0601", on="2025-06-01").short_title
        'Cont airway pressure device'
        """
        return self.short_description


@attrs.frozen(kw_only=True)
class ModifierEntry:
    """A modifier on a date.

    >>> from codekit import modifiers
    >>> m = modifiers.lookup("F5", on="2025-02-01")
    >>> m.side, m.region, m.label, m.ncci_associated
    ('right', 'hand', 'right hand, thumb', True)
    """

    code: str
    #: ``"cpt"`` (Level I: two digits or digit + P) or ``"hcpcs"`` (Level II).
    level: str
    on: dt.date
    valid: bool
    valid_ranges: tuple[Range, ...] = ()
    #: A short label: anatomic site, or a codekit-written functional label (the
    #: contract's name for it is :attr:`short_title`).
    label: str | None = None
    #: The CMS long description (Level II), when a CMS HCPCS file was loaded.
    description: str | None = None
    #: For anatomic modifiers: "left", "right" or "bilateral".
    side: str | None = None
    #: For anatomic modifiers: "eyelid", "hand", "foot", "coronary artery" (None for
    #: RT/LT/50, which name a side of the body).
    region: str | None = None
    #: May bypass an NCCI PTP edit with modifier indicator 1.
    ncci_associated: bool = False
    #: IOCE flags (e.g. "telehealth", "therapy", "assistant_surgeon").
    flags: tuple[str, ...] = ()
    #: The data release the answer comes from (the IOCE quarter, or a loaded HCPCS file).
    release: str | None = None
    note: str | None = None
    #: False when no data codekit has describes ``on`` (see :attr:`ProcedureEntry.covered`).
    covered: bool = True
    #: For a modifier CMS ended before ``on`` with others in its place
    #: (:data:`codekit.modifiers.SUCCESSORS`): those active on ``on``, as
    #: :attr:`ProcedureEntry.replacements` and the error's ``fix`` (JG after 2024-12-31:
    #: ``("TB",)``). Empty otherwise.
    replacements: tuple[str, ...] = ()

    @property
    def title(self) -> str | None:
        """The CMS description when a HCPCS file was loaded, else codekit's label."""
        return self.description or self.label

    @property
    def short_title(self) -> str | None:
        """:attr:`label` (codekit's short label) under the name every code system shares
        for the short form of :attr:`title`.

        >>> from codekit import modifiers
        >>> modifiers.lookup("RT", on="2025-06-01").short_title
        'right side of the body'
        """
        return self.label

    @property
    def formatted(self) -> str:
        """The modifier as printed (modifiers have no punctuation: the code)."""
        return self.code

    def as_dict(self) -> dict[str, Any]:
        """Everything about the entry as plain data (dates as ISO strings), for JSON: its
        fields, and the contract's names every code system's ``as_dict()`` has
        (``formatted``, ``title``, ``short_title``).

        >>> from codekit import modifiers
        >>> d = modifiers.lookup("RT", on="2025-06-01").as_dict()
        >>> d["code"], d["on"], d["short_title"]
        ('RT', '2025-06-01', 'right side of the body')
        """
        return _as_dict(self)

    @property
    def is_anatomic(self) -> bool:
        """Whether the modifier names a side or a site of the body (:attr:`side` or
        :attr:`region` set: RT, LT, 50, E1-E4, F5, T1, LC...).

        >>> from codekit import modifiers
        >>> modifiers.lookup("RT", on="2025-10-01").is_anatomic
        True
        >>> modifiers.lookup("25", on="2025-10-01").is_anatomic
        False
        """
        return self.side is not None or self.region is not None

    def _repr_html_(self) -> str:
        from .. import _html

        return _html.entry(self)


def _as_dict(entry: ProcedureEntry | ModifierEntry) -> dict[str, Any]:
    out: dict[str, Any] = jsonable(entry)
    out.update(formatted=entry.formatted, title=entry.title, short_title=entry.short_title)
    return out

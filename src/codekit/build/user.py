"""Adding an ICD-10-CM release from CDC/CMS files to the user data directory.

Three ways, by what the user downloaded:

- ``tabular`` (+ optionally ``order``): a full release (``icd10cm_tabular_YYYY.xml`` and
  ``icd10cm_order_YYYY.txt`` from the CDC/CMS "code descriptions" and "tabular" zips). The
  order file, when given, decides billable codes and titles; without it they are derived
  from the tabular (7th-character codes expanded as the CDC does).
- ``order`` alone: codes and titles; notes and 7th characters are borrowed from the nearest
  release that has a tabular.
- ``addenda`` + ``base``: the yearly order-file addenda applied to a release codekit already
  has (e.g. ``icd10cm_order_addenda_2027.txt`` on top of the bundled ``FY2026``).
- ``tabular`` + ``base``: a tabular's notes, 7th characters and blocks on the codes and
  titles of a release codekit has (e.g. the FY2023 tabular on the bundled ``FY2023``, which
  otherwise borrows another year's notes).

The result is a release table like the bundled ones, written to
``<user data dir>/icd10cm/<id>.ckt``; codekit picks it up the next time it opens its data.
From its effective date its billable codes decide validity, overriding the bundled MCE
table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from .. import _cache
from .._artifact import RELEASE_ID
from .._dates import fiscal_year
from .._files import read_bytes
from .._paths import user_data_dir
from ..errors import DataError, InvalidArgument, MalformedFile
from . import icd10cm as writer
from .icd10cm_sources import (
    OrderRow,
    apply_addenda,
    check_code,
    decode_text,
    read_order_file,
    read_tabular,
    rows_from_tabular,
)
from .icd10pcs import check_data_dir, write_atomically

__all__ = ["add_release", "check_release_id", "list_releases", "remove_release", "rows_of"]



def check_release_id(release_id: object) -> str:
    """``release_id`` when it can name a release file, else :class:`InvalidArgument`."""
    if not isinstance(release_id, str) or not RELEASE_ID.fullmatch(release_id):
        shown = repr(release_id)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise InvalidArgument(f"release id {shown}: use 1 to 64 ASCII letters, digits, - or _ "
                              "(starting with a letter or digit)")
    return release_id


def _read(path: Path) -> bytes | bytearray:
    # streamed and bounded (codekit.FileLimits): a small .gz cannot expand to gigabytes
    return read_bytes(path)


def _source(path: Path, data: bytes | bytearray, what: str) -> dict[str, str]:
    return {"file": Path(path).name, "what": what, "sha256": hashlib.sha256(data).hexdigest()}


def rows_of(release: Any) -> list[OrderRow]:
    """The order rows of a loaded :class:`~codekit.icd10cm._store.ReleaseTable`."""
    return [OrderRow(c, release.is_billable_row(i), release.short_title(i),
                     release.long_title(i)) for i, c in enumerate(release.codes)]


def add_release(
    *,
    release_id: str,
    effective: str | dt.date,
    until: str | dt.date | None = None,
    label: str | None = None,
    tabular: Path | None = None,
    order: Path | None = None,
    addenda: Path | None = None,
    base: str | None = None,
    data_dir: Path | None = None,
    store: Any = None,
) -> dict[str, Any]:
    """Build a user release; returns its record (id, path, counts, warnings)."""
    from ..icd10cm import Store

    check_release_id(release_id)
    eff = effective if isinstance(effective, dt.date) else _date(effective, "effective")
    end = until if isinstance(until, dt.date) or until is None else _date(until, "until")
    if end is not None and end < eff:
        raise InvalidArgument(f"until {end} is before effective {eff}")
    folder = Path(data_dir) if data_dir is not None else user_data_dir()
    check_data_dir(folder, "icd10cm")
    warnings: list[str] = []
    sources: list[dict[str, str]] = []
    tab = None
    notes_from = None
    store = store or Store(user=folder)
    _check_id_dates(store, release_id, eff)
    if tabular is not None and base and addenda is None and order is None:
        # the tabular's notes, 7th characters and blocks on a release codekit has
        base_rel = store.release(base)
        rows = rows_of(base_rel)
        data = _read(tabular)
        tab = read_tabular(data, source=str(tabular))
        sources.append(_source(tabular, data, f"CDC tabular XML version {tab.version}"))
        derived = {r.code for r in rows_from_tabular(tab)}
        differ = derived ^ {r.code for r in rows}
        if differ:
            warnings.append(f"{len(differ)} codes differ between the tabular and {base} (the "
                            f"codes and titles of {base} are kept): {sorted(differ)[:5]}")
        remarks = f"{base}'s codes and titles with the notes of a user-supplied tabular"
    elif addenda is not None:
        if tabular is not None or order is not None:
            raise InvalidArgument("give either --addenda with --base, or --tabular/--order")
        if not base:
            raise InvalidArgument("--addenda needs --base: the release it applies to")
        base_rel = store.release(base)
        data = _read(addenda)
        rows, counts = apply_addenda(rows_of(base_rel), decode_text(data), str(addenda))
        sources.append(_source(addenda, data, f"order-file addenda applied to {base}"))
        notes_from = base_rel.id if base_rel.has_tabular else base_rel.notes_from
        remarks = (f"{base} + addenda: {counts['added']} rows added, {counts['deleted']} "
                   f"deleted, {counts['revised']} revised")
    else:
        if tabular is None and order is None:
            raise InvalidArgument("nothing to add: give --tabular and/or --order, or --addenda")
        if tabular is not None:
            data = _read(tabular)
            tab = read_tabular(data, source=str(tabular))
            sources.append(_source(tabular, data, f"CDC tabular XML version {tab.version}"))
        if order is not None:
            data = _read(order)
            rows = read_order_file(decode_text(data), str(order))
            sources.append(_source(order, data, "order file"))
            if tab is not None:
                derived = {r.code for r in rows_from_tabular(tab)}
                missing = derived ^ {r.code for r in rows}
                if missing:
                    warnings.append(f"{len(missing)} codes differ between the tabular and the "
                                    f"order file (the order file wins): {sorted(missing)[:5]}")
        else:
            assert tab is not None
            rows = rows_from_tabular(tab)
            warnings.append("no order file: billable codes derived from the tabular; short "
                            "titles are empty")
        if tab is None:
            nearest = min((r for r in store.releases if r.has_tabular),
                          key=lambda r: abs((r.effective - eff).days), default=None)
            notes_from = nearest.id if nearest else None
        remarks = "user-supplied CDC/CMS files"
    _check_rows(rows, release_id)
    v = store.validity
    if eff <= v.table_end:
        p = v.period(eff)
        mce = {c for c, m in v.masks.items() if m >> p & 1}
        billable = {r.code for r in rows if r.billable}
        missing = mce - billable
        if len(missing) > MAX_MISSING * len(mce):
            raise MalformedFile(
                f"release {release_id}: {len(billable)} billable codes, and {len(missing)} of "
                f"the {len(mce)} the CMS MCE table has on {eff} are not among them "
                f"({sorted(missing)[:3]}...): a file cut short, or not a whole fiscal year's "
                "release (a year drops a few hundred codes)", path=release_id,
                reason="partial release")
        if mce != billable:
            warnings.append(
                f"on {eff} the MCE table has {len(mce)} billable codes, this release "
                f"{len(billable)} ({len(billable - mce)} only here, {len(mce - billable)} only "
                f"in the MCE); this release decides from {eff}")
    path = folder / "icd10cm" / f"{release_id}.ckt"
    if path.exists():
        warnings.append(f"replaces the release {release_id} added before ({path})")
    found: dict[str, Any] = {}

    def write(tmp: Path) -> None:  # a file of this process's own, renamed into place
        found.update(writer.write_release(
            tmp, release_id=release_id, label=label or release_id, effective=eff, until=end,
            rows=rows, tabular=tab, sources=sources, notes_from=notes_from, remarks=remarks))

    # every answer of this process sees the new release (a check running meanwhile, which
    # may have opened it or not, is checked again: see _cache.changing)
    with _cache.changing(reopen=True):
        write_atomically(path, write)  # a read-only folder, a full disk: DataError
    rec = {**found, "file": path.name, "path": str(path)}
    rec["warnings"] = warnings
    return rec


#: a fiscal year drops a few hundred of the codes valid the year before: a release missing
#: more than a tenth of the MCE's codes on its first day is cut short (or not a release)
MAX_MISSING = 0.10


def _check_id_dates(store: Any, release_id: str, eff: dt.date) -> None:
    """A release with a bundled release's id replaces it: refused unless it starts on the
    same day (it then answers for the dates the bundled one did); otherwise the dates of
    the bundled release would lose their titles and the new one answer under a name
    that says another year."""
    bundled = next((r for r in store.releases if r.id == release_id and not r.user), None)
    if bundled is not None and bundled.effective != eff:
        raise InvalidArgument(
            f"release id {release_id} names a bundled release (effective "
            f"{bundled.effective}): a release of yours with its id replaces it, so it must "
            f"start on {bundled.effective}; give a release effective {eff} another id "
            f"(e.g. FY{fiscal_year(eff)})")


def _check_rows(rows: list[OrderRow], release_id: str) -> None:
    """Refuse, before anything is written, a release without codes or with a code the
    grammar does not accept (whatever source the rows came from)."""
    if not rows:
        raise MalformedFile(f"release {release_id}: no codes", path=release_id,
                            reason="no codes")
    for i, r in enumerate(rows, 1):
        why = check_code(r.code)
        if why:
            raise MalformedFile(f"release {release_id}: row {i}: {why}", path=release_id,
                                line=i, reason=why)


def _date(text: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise InvalidArgument(f"{name}={text!r}: expected YYYY-MM-DD") from None


#: The code systems users add releases of, and their folder in the user data directory.
SYSTEM_FOLDERS = {"icd10cm": "icd10cm", "icd10pcs": "icd10pcs"}


def list_releases(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """The releases a user added (both code systems): system, id, label, effective date,
    until, path; sorted by system and effective date. An unreadable file is listed with
    its ``error`` (it answers for nothing until added again or removed)."""
    from .. import _artifact

    folder = Path(data_dir) if data_dir is not None else user_data_dir()
    out: list[dict[str, Any]] = []
    for system, sub in SYSTEM_FOLDERS.items():
        d = folder / sub
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.ckt")):
            rec: dict[str, Any] = {"system": system, "id": path.stem, "path": str(path)}
            try:
                meta = _artifact.Table(path).meta
                rec.update(label=meta.get("label") or path.stem,
                           effective=meta.get("effective"), until=meta.get("until"))
            except DataError as e:  # a damaged file is listed with why, not fatal
                rec["error"] = str(e)
            out.append(rec)
    return sorted(out, key=lambda r: (r["system"], str(r.get("effective")), r["id"]))


def remove_release(*, system: str, release_id: str, data_dir: Path | None = None) -> Path:
    """Remove a release a user added (``system`` ``icd10cm`` or ``icd10pcs``); every answer
    of this process changes at once (other processes: after a restart or
    :func:`codekit.clear_caches`). Returns the removed file's path; a release that is not
    there is an :class:`InvalidArgument` naming the ones that are."""
    if system not in SYSTEM_FOLDERS:
        raise InvalidArgument(f"system {system!r}: expected icd10cm or icd10pcs")
    check_release_id(release_id)
    folder = Path(data_dir) if data_dir is not None else user_data_dir()
    path = folder / SYSTEM_FOLDERS[system] / f"{release_id}.ckt"
    if not path.is_file():
        there = [r["id"] for r in list_releases(folder) if r["system"] == system]
        raise InvalidArgument(f"no {system} release {release_id!r} in {folder} (user "
                              f"releases there: {', '.join(there) or 'none'}); the bundled "
                              "releases cannot be removed")
    with _cache.changing(reopen=True):  # every answer of this process sees it gone
        try:
            path.unlink()
        except OSError as e:
            raise DataError(f"cannot remove {path}: {e.strerror or e}") from None
    return path

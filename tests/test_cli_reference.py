"""docs/cli.md, the command line reference, and ``--help`` say the same: every command has
its section, every option ``codekit ... --help`` shows is in its section's table, and
every option a table names exists. The ``--ptp``/``--mue`` help names the formats the
loaders read, and those formats load from the command line."""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

import pytest

from codekit.cli import _parser, main

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
KNEE = ROOT / "docs" / "examples" / "knee_injection.json"
#: An option as a help line or a table row writes it: ``--max-body``, ``-v``.
OPTION = re.compile(r"(?<![\w-])(--?[a-zA-Z][\w-]*)")


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
              ) -> list[tuple[str, ...]]:
    """Every command path of the parser (``("data", "add")``), the leaves only."""
    found: list[tuple[str, ...]] = []
    for action in parser._actions:  # argparse has no public walk of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found or [path]


COMMANDS = _commands(_parser())


def _help(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def _help_options(text: str) -> set[str]:
    """The options of an argparse help text (its "options:" section)."""
    section = text.split("\noptions:\n", 1)[1] if "\noptions:\n" in text else ""
    found: set[str] = set()
    for line in section.splitlines():
        if re.match(r"^  -", line):  # an option's own line, not its wrapped help
            head = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
            found |= set(OPTION.findall(head))
    return found - {"-h", "--help"}


def _section(path: tuple[str, ...]) -> str:
    """The text of the page's section ``codekit <path>``, to the next heading."""
    title = re.escape("codekit " + " ".join(path))
    m = re.search(rf"^(#+) `{title}`\s*$(.*?)(?=^#+ |\Z)", PAGE, re.M | re.S)
    assert m is not None, f"docs/cli.md has no section `codekit {' '.join(path)}`"
    return m.group(2)


def _page_options(path: tuple[str, ...]) -> set[str]:
    """The options the section's table names (the first cell of each row)."""
    found: set[str] = set()
    for row in re.findall(r"^\| (`-[^|]*)\|", _section(path), re.M):
        found |= set(OPTION.findall(row))
    return found


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_option_of_the_help_is_on_the_page_and_back(
        path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help_options(_help(path, capsys))
    assert _page_options(path) == shown


def _values(heads: list[str]) -> dict[str, str]:
    """What each option is followed by (``--on`` -> ``YYYY-MM-DD``), as the help's heads
    (``--on YYYY-MM-DD``) or the page's first cells (`` `--on YYYY-MM-DD` ``) write it."""
    found: dict[str, str] = {}
    for head in heads:
        for form in head.replace("`", "").split(", "):
            option, _, value = form.strip().partition(" ")
            found[option] = value
    return found


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_the_help_writes_each_option_value_as_the_page_does(
        path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit data add --help` showed `--effective EFFECTIVE`, `--tabular TABULAR`,
    `--data-dir DATA_DIR` (argparse's names of its attributes) where the page and every
    other command write `YYYY-MM-DD`, `FILE`, `DIR`."""
    text = _help(path, capsys)
    section = text.split("\noptions:\n", 1)[1] if "\noptions:\n" in text else ""
    shown = [re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
             for line in section.splitlines() if re.match(r"^  -", line)]
    page = re.findall(r"^\| (`-[^|]*)\|", _section(path), re.M)
    assert {k: v for k, v in _values(shown).items() if k not in ("-h", "--help")} == \
        _values(page)


def test_the_top_help_names_every_format_check_reads(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit --help` said "check claims (JSON, JSON lines, X12 837)": FHIR left out."""
    top = re.sub(r"\s+", " ", _help((), capsys))
    assert "check claims (JSON, JSON lines, FHIR, X12 837) against the edits" in top


def test_the_help_of_codekit_and_of_check_gives_the_exit_codes(
        capsys: pytest.CaptureFixture[str]) -> None:
    """No `--help` said an exit code, and `check`'s are not the usual ones (1 warnings
    only, 2 errors): a script's author reading `codekit check --help` did not learn them.
    `check`'s are the page's, in short."""
    for path in ((), ("check",)):
        codes = " ".join(_help(path, capsys).split("\nexit codes: ", 1)[1].split())
        assert [int(n) for n in re.findall(r"(?:^|; )(\d) ", codes)] == [0, 1, 2, 3]
        assert "docs/cli.md" in codes
    page = " ".join(_section(("check",)).split("\nExit codes: ", 1)[1].split())
    assert page.startswith("0 every claim clean; 1 warnings only, or a claim judged outside "
                           "the data; 2 a claim with an error")
    assert codes.startswith("0 every claim clean; 1 warnings only, or a claim judged outside "
                            "the data; 2 a claim with an error, or one that cannot be read; "
                            "3 usage, an input or table that cannot be read")


def test_the_page_names_every_command_and_no_other(
        capsys: pytest.CaptureFixture[str]) -> None:
    top = _help((), capsys)
    assert _help_options(top) == {"--version"}
    assert "## `codekit --version`" in PAGE
    named = set(re.findall(r"^#+ `codekit ([a-z -]+)`\s*$", PAGE, re.M)) - {"--version"}
    groups = {p[0] for p in COMMANDS if len(p) > 1}
    assert named == {" ".join(p) for p in COMMANDS} | groups
    assert len(COMMANDS) == 16  # lookup ... serve, policy x2, data x7


def test_the_ncci_help_says_the_formats_the_loaders_read(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = re.sub(r"\s+", " ", _help(("check",), capsys).split("\noptions:\n", 1)[1])
    ptp = text.split("--ptp FILE", 1)[1].split("--mue FILE", 1)[0]
    mue = text.split("--mue FILE", 1)[1].split("--mue-effective", 1)[0]
    for word in (".txt", ".csv", ".xlsx", "gzipped", ".ckt"):
        assert word in ptp
    for word in (".csv", ".xlsx", "gzipped"):
        assert word in mue
    assert "(quarterly text or CSV)" not in text  # the old help, which left xlsx out


def test_an_xlsx_ptp_and_a_gzipped_mue_load_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The knee injection claim (2025-11-03: 99213, 20610 LT, J3301 x40) judged with a
    PTP table in an xlsx (20610/99213, indicator 1) and a gzipped MUE CSV (J3301: 1)."""
    from codekit._xlsx import write

    ptp = tmp_path / "ptp_practitioner_2025q4.xlsx"
    write(ptp, ["column_1", "column_2", "effective_date", "deletion_date",
                "modifier_indicator"], [["20610", "99213", "2000-01-01", "", "1"]])
    mue = tmp_path / "mue_practitioner_2025q4.csv.gz"
    mue.write_bytes(gzip.compress(b"code,mue,mai\nJ3301,1,2\n"))
    status = main(["check", str(KNEE), "--ptp", str(ptp), "--mue", str(mue),
                   "--format", "json", "--quiet"])
    report = json.loads(capsys.readouterr().out)
    rules = [f["rule"] for f in report["findings"]]
    assert status == 2
    assert sorted(rules) == ["DX_EXCLUDES1_CONFLICT", "EM_MINOR_PROC_NO_MOD25",
                             "LATERALITY_MISMATCH", "MUE_EXCEEDED"]
    assert report["not_run"] == []

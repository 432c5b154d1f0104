"""``codekit check`` as a pipeline runs it: usage errors, encodings, long lines, closed
streams, interrupts and dying workers (what tests/test_cli.py and tests/test_batch.py do
not already cover)."""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import codekit.batch
import codekit.cli
from codekit import _progress
from codekit.cli import check as check_cli
from codekit.cli import main
from codekit.errors import ClaimFormatError
from tests.claims_gen import make_professional, with_ids
from tests.conftest import TickingClock


@pytest.fixture(scope="module")
def claims() -> list[dict[str, Any]]:
    return with_ids(make_professional(40, seed=11), "E{:03d}")


EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def _rows(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def _format_messages(row: dict[str, Any]) -> list[str]:
    return [f["message"] for f in row["findings"] if f["rule"] == "CLAIM_FORMAT_INVALID"]


# -- usage ------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["check"], ["check", "x.json", "--formt", "jsonl"],
                                  ["check", "x.json", "--format", "xml"],
                                  ["check", "x.json", "--processes", "two"], ["chek", "x"]])
def test_a_usage_error_exits_3_not_2(argv: list[str],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """argparse exited 2, which `codekit check` documents as "a claim with errors": a
    pipeline read a mistyped option as findings."""
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 3
    assert "error: " in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "usage", "error"), [
    (["check", "x.json", "-o", "out.json"], "usage: codekit check [-h] [--format",
     "codekit check: error: unrecognized arguments: -o out.json"),
    (["policy", "check", "p.policy", "--nope"], "usage: codekit policy check [-h] [--json]",
     "codekit policy check: error: unrecognized arguments: --nope"),
    (["-x", "check", "x.json"], "usage: codekit [-h] [--version]",
     "codekit: error: unrecognized arguments: -x"),
])
def test_an_unknown_option_is_said_with_the_usage_of_its_command(
        argv: list[str], usage: str, error: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check x.json -o out.json` showed the usage of `codekit` (its commands), not
    of `codekit check` (the options it takes)."""
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith(usage) and err.splitlines()[-1] == error


def test_json_and_a_different_format_conflict(tmp_path: Path, claims: list[dict[str, Any]],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`--json --format jsonl` wrote indented JSON (--json silently won)."""
    src = tmp_path / "one.json"
    src.write_text(json.dumps(claims[0]))
    assert main(["check", str(src), "--json", "--format", "jsonl"]) == 3
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == (
        "", "codekit: --json is --format json: it conflicts with --format jsonl\n")
    assert main(["check", str(src), "--json", "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["claim_id"] == "E000"


# -- what is read -----------------------------------------------------------------------------


class _Counting(io.RawIOBase):
    """A byte stream that counts what was read from it."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = min(len(b), len(self.data) - self.pos)
        b[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n


def test_json_lines_with_a_long_first_line_are_streamed(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]]) -> None:
    """A first line longer than the read buffer (8 KiB: a claim with many lines or a big
    `extra`) made JSON lines look like one pretty-printed claim: the whole input was read
    into memory and parsed as objects one after another (70 s instead of 4 s for 20,000
    claims, the newlines counted again for each)."""
    big = {**claims[0], "extra": {"note": "x" * 20_000}}
    data = ("\n".join(json.dumps(c) for c in [big, *claims[1:] * 25]) + "\n").encode()
    raw = _Counting(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    inputs = check_cli.read_inputs(["-"])
    first = next(inputs)
    assert first.where == "<stdin>:1" and isinstance(first.item, bytes)
    assert raw.pos < len(data) // 2  # not read whole
    assert [i.where for i in inputs] == [f"<stdin>:{n}" for n in range(2, 2 + 39 * 25)]


def test_fhir_ndjson_with_a_long_first_claim(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """FHIR NDJSON whose first Claim was longer than the read buffer was read as one JSON
    document: one FHIR_FORMAT_INVALID result ("Extra data") for the whole file, its
    claims never checked."""
    from tests.test_fhir import claim

    big = claim(id="c")
    big["text"] = {"status": "generated",
                   "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + "x" * 20_000 + "</div>"}
    nd = tmp_path / "claims.ndjson"
    nd.write_text("\n".join(json.dumps(c) for c in [big, claim(id="d"), claim(id="e")]) + "\n")
    assert main(["check", str(nd), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["findings"][0]["rule"]) for r in rows] == [
        (f"{nd}:line {n}: Claim", "LATERALITY_MISMATCH") for n in (1, 2, 3)]


def test_a_latin1_claim_is_not_read_with_its_bytes_replaced(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A Latin-1 claim file was decoded with the bad bytes replaced: claim 'PCN-\\ufffd'
    checked and reported OK, not the claim sent (JSON lines said "not JSON" for the same
    line)."""
    text = json.dumps({**claims[1], "claim_id": "PCN-\u00e9"}, ensure_ascii=False)
    one = tmp_path / "latin1.json"
    one.write_bytes(text.encode("latin-1"))
    assert main(["check", str(one), "--format", "jsonl", "--quiet"]) == 2
    (row,) = _rows(capsys.readouterr().out)
    column = text.index("\u00e9") + 1
    assert (row["input"], row["claim_id"]) == (str(one), None)
    assert _format_messages(row) == [
        f"not UTF-8 text: byte 0xe9 at line 1, column {column} (codekit reads JSON as "
        "UTF-8: save the file as UTF-8, e.g. iconv -f LATIN1 -t UTF-8)"]
    # JSON lines whose first line is Latin-1: that line is a result, the others are read
    lines = tmp_path / "latin1.jsonl"
    lines.write_bytes(b"\n".join([text.encode("latin-1"), json.dumps(claims[2]).encode(),
                                  json.dumps(claims[3]).encode()]) + b"\n")
    assert main(["check", str(lines), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["claim_id"]) for r in rows] == [
        (f"{lines}:1", None), (f"{lines}:2", "E002"), (f"{lines}:3", "E003")]
    assert _format_messages(rows[0])[0].startswith(
        "not JSON: 'utf-8' codec can't decode byte 0xe9")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path: Path, claims: list[dict[str, Any]],
                                            capsys: pytest.CaptureFixture[str],
                                            encoding: str) -> None:
    """What PowerShell's `>` writes (UTF-16 with a BOM) was "not a claim file codekit
    knows", exit 3."""
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    one = tmp_path / "one.json"
    one.write_bytes(bom + json.dumps({**claims[0], "claim_id": "PCN-\u00e9"},
                                     ensure_ascii=False).encode(encoding))
    lines = tmp_path / "claims.jsonl"
    lines.write_bytes(bom + "\r\n".join(json.dumps(c) for c in claims[:3]).encode(encoding))
    assert main(["check", str(one), str(lines), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["claim_id"]) for r in rows] == [
        (str(one), "PCN-\u00e9"), (f"{lines}:1", "E000"), (f"{lines}:2", "E001"),
        (f"{lines}:3", "E002")]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_without_a_bom_are_read(claims: list[dict[str, Any]],
                                               encoding: str) -> None:
    """Without a BOM, UTF-16 JSON lines were read as UTF-8: each line a result "not
    JSON" (as JSON values one after another, the whole file would be one). They are told
    by their zero bytes, as json.loads tells them."""
    data = "\n".join(json.dumps(c) for c in claims[:3]).encode(encoding)
    assert _inputs_of(data) == [(f"f:{n}", (json.dumps(c) + ("\n" if n < 3 else "")).encode())
                                for n, c in enumerate(claims[:3], 1)]


def test_a_broken_utf16_file_is_one_unreadable_result_and_the_run_goes_on(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """It ended the run (exit 3): the files after it were not checked."""
    src = tmp_path / "odd.jsonl"
    src.write_bytes(json.dumps(claims[0]).encode("utf-16") + b"\x00\xd8\x41\x00")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(claims[1]) + "\n")
    assert main(["check", str(src), str(good), "--format", "jsonl", "--quiet"]) == 2
    captured = capsys.readouterr()
    rows = _rows(captured.out)
    assert [(r["input"], r["claim_id"]) for r in rows] == [(str(src), None),
                                                            (str(good), "E001")]
    [message] = _format_messages(rows[0])
    assert message.startswith("not UTF-16 text at byte ")
    assert captured.err == ""


def test_gzipped_claims_are_read_as_what_they_hold(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check claims.jsonl.gz` was one unreadable result, "not a claim file codekit
    knows", exit 2 (and `zcat | codekit check -` names every claim `<stdin>:N`). Told by
    the gzip magic bytes, not the name; several members one after another (`cat a.gz
    b.gz`) are one input; JSON lines and a claim (with a BOM) each read as they are."""
    lines = tmp_path / "claims.jsonl.gz"
    lines.write_bytes(gzip.compress("".join(json.dumps(c) + "\n" for c in claims[:2]).encode())
                      + gzip.compress((json.dumps(claims[2]) + "\n").encode()))
    one = tmp_path / "one.json"  # no .gz in the name: the bytes tell
    one.write_bytes(gzip.compress(json.dumps(claims[3], indent=2).encode("utf-8-sig")))
    assert main(["check", str(lines), str(one), "--format", "jsonl", "--quiet"]) in (1, 2)
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["claim_id"]) for r in rows] == [
        (f"{lines}:1", "E000"), (f"{lines}:2", "E001"), (f"{lines}:3", "E002"),
        (str(one), "E003")]


def test_a_gzipped_837_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The examples' 837P, gzipped: its three claims, as from the plain file."""
    pytest.importorskip("pyx12")
    x12 = tmp_path / "claims.837.gz"
    x12.write_bytes(gzip.compress((EXAMPLES / "claims.837").read_bytes()))
    assert main(["check", str(x12), "--format", "jsonl", "--quiet"]) == 2
    assert [(r["claim_id"], r["ok"]) for r in _rows(capsys.readouterr().out)] == [
        ("KNEE-1", False), ("VISIT-1", True), ("DM-1", True)]


@pytest.mark.parametrize("cut", [-12, 900])
def test_a_damaged_gzip_file_reports_the_claims_before(
        tmp_path: Path, claims: list[dict[str, Any]], capsys: pytest.CaptureFixture[str],
        cut: int) -> None:
    """A gzip file cut short (a transfer that failed) or with junk in it: the claims read
    before are checked, then one unreadable result, and the next input is read; no
    traceback, and no claim read from a line cut short."""
    data = gzip.compress("".join(json.dumps(c) + "\n" for c in claims).encode())
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(data[:cut] if cut < 0 else data[:cut] + b"junk" + data[cut + 4:])
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(claims[0]) + "\n")
    assert main(["check", str(src), str(good), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    *read, damaged, last = rows
    assert [r["input"] for r in read] == [f"{src}:{n}" for n in range(1, len(read) + 1)]
    assert [r["claim_id"] for r in read] == [c["claim_id"] for c in claims[:len(read)]]
    assert (damaged["input"], last["input"]) == (str(src), str(good))
    [message] = _format_messages(damaged)
    assert message.startswith("the gzip-compressed input ends early" if cut < 0 else
                              "the gzip-compressed input is damaged")
    assert message.endswith(": it is not read from there")


class _Chunked(io.RawIOBase):
    """A pipe that delivers ``chunks`` one read each."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if not self.chunks:
            return 0
        chunk = self.chunks.pop(0)
        b[:len(chunk)] = chunk
        return len(chunk)


def test_bytes_after_the_gzip_data_are_not_called_damage(
        claims: list[dict[str, Any]]) -> None:
    """A gzip member followed by bytes that are no member (`gzip -d`: "decompression OK,
    trailing garbage ignored") was "the gzip-compressed input is damaged after N bytes
    ... (Error -3 while decompressing data: incorrect header check)", though every claim
    had been read. It is said as what it is; and a member whose magic bytes arrive split
    over two reads of a pipe is a member, not trailing bytes."""
    lines = "".join(json.dumps(c) + "\n" for c in claims[:2]).encode()
    got = _inputs_of(gzip.compress(lines) + b"Trailer: not gzip\n")
    assert [w for w, _ in got] == ["f:1", "f:2", "f"]
    assert isinstance(got[2][1], ClaimFormatError)
    assert str(got[2][1]).endswith(
        f"(claim): the gzip-compressed input ends after {len(lines):,} bytes decompressed, "
        "and what follows it is not gzip-compressed (trailing bytes b'Trailer: not gzi'...): "
        "it is not read")
    first, second = gzip.compress(lines), gzip.compress(lines)
    stream = io.BufferedReader(_Chunked([first + second[:1], second[1:]]))
    read = [(i.where, i.item) for i in check_cli._read_stream(stream, "f")]
    assert [w for w, _ in read] == [f"f:{n}" for n in range(1, 5)]
    assert all(isinstance(item, bytes) for _, item in read)


def test_a_json_list_element_that_is_text_is_not_a_claim(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """A string in a JSON list of claims was parsed as JSON text: "not JSON: Expecting
    value: line 1 column 1 (char 0)" for "x"."""
    src = tmp_path / "list.json"
    src.write_text(json.dumps([claims[0], "x", 42]))
    assert main(["check", str(src), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    assert [_format_messages(r) for r in rows] == [
        [], ["a claim must be an object, got a string ('x')"],
        ["a claim must be an object, got a number (42)"]]


@pytest.mark.parametrize(("text", "kind"), [("42", "a number (42)"),
                                            ('"PCN-1"', "a string ('PCN-1')"),
                                            ("null", "null")])
def test_a_file_of_one_json_value_says_what_it_holds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, kind: str) -> None:
    src = tmp_path / "x.json"
    src.write_text(text + "\n")
    assert main(["check", str(src), "--format", "jsonl"]) == 2
    [row] = _rows(capsys.readouterr().out)
    assert _format_messages(row) == [
        f"not a claim file codekit knows (a JSON claim, a JSON list of claims, JSON lines, "
        f"FHIR, X12 837): it holds {kind}, and a claim is a JSON object"]


@pytest.mark.parametrize(("data", "what"), [
    (b"PK\x03\x04\x14\x00", "a zip archive: unzip it, and check the files it holds"),
    (b"BZh91AY&SY", "compressed with bzip2: decompress it (bunzip2), or gzip it"),
    (b"\xfd7zXZ\x00\x00", "compressed with xz: decompress it (unxz), or gzip it"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<Claim xmlns="http://hl7.org/fhir">\n',
     "XML (FHIR XML, or another XML claim format): codekit reads FHIR as JSON"),
    # a tar archive (claims.tar, or claims.tar.gz once gunzipped): "ustar" at byte 257
    (b"claims.jsonl".ljust(257, b"\0") + b"ustar\x0000" + b"\0" * 240,
     "a tar archive: extract it (tar -xf), and check the files it holds")])
def test_a_file_codekit_does_not_read_says_what_it_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, what: str) -> None:
    """A zip of CMS files, a bzip2 or xz extract, a FHIR XML Claim: only "not a claim file
    codekit knows (...)", which left the user to guess (gzip is read: the test above)."""
    src = tmp_path / "claims"
    src.write_bytes(data)
    assert main(["check", str(src), "--format", "jsonl"]) == 2
    [row] = _rows(capsys.readouterr().out)
    assert _format_messages(row) == [
        "not a claim file codekit knows (a JSON claim, a JSON list of claims, JSON lines, "
        f"FHIR, X12 837): it is {what}"]


_TABLE = ("not a claim file codekit knows (a JSON claim, a JSON list of claims, JSON lines, "
          "FHIR, X12 837): it looks like a table (CSV or tab-separated: a header, then rows): "
          "read it with pandas and check it with codekit.pandas.check_claims (docs/pandas.md)")


@pytest.mark.parametrize(("data", "table"), [
    (b"claim_id,procedure_code,units\r\nA,99213,1\r\n", True),
    (b"claim_id\tdate_of_service\tprocedure_code\nA\t2025-11-03\t99213\n", True),
    (b'"claim_id";"procedure code"\n"A";"99213"\n', True),
    (b"hello world\n", False), (b'"a,b"\n', False)])
def test_a_csv_of_claim_lines_is_sent_to_the_pandas_door(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, table: bool) -> None:
    """A CSV export of claim lines (what a notebook user has) was only "not a claim file
    codekit knows": the message now names the door that reads tables."""
    src = tmp_path / "claims.csv"
    src.write_bytes(data)
    assert main(["check", str(src), "--format", "jsonl"]) == 2
    [row] = _rows(capsys.readouterr().out)
    [message] = _format_messages(row)
    assert (message == _TABLE) is table
    assert "looks like a table" not in message or table


def test_an_empty_list_of_claims_says_so(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check batch.json` on `[]` (a scheduled run over a day without claims)
    wrote nothing at all in text: no report, no summary; a cron log could not tell it ran."""
    src = tmp_path / "batch.json"
    src.write_text("[]\n")
    assert main(["check", str(src)]) == 0
    summary = ("0 claims: 0 clean, 0 judged outside the data only, 0 with warnings only, "
               "0 with errors, 0 unreadable\n")
    assert capsys.readouterr() == (summary, "")
    assert main(["check", str(src), "--format", "json"]) == 0
    assert capsys.readouterr() == ("[]\n", summary)
    assert main(["check", str(src), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_a_list_of_one_claim_gets_a_list_of_one_report(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` of a JSON list holding one claim was that claim's report alone,
    an object: a pipeline reading the list broke on the day the batch had one claim."""
    src = tmp_path / "list.json"
    src.write_text(json.dumps(claims[:1]))
    assert main(["check", str(src), "--format", "json", "--quiet"]) == 0
    assert [(r["input"], r["claim_id"]) for r in json.loads(capsys.readouterr().out)] == [
        (f"{src}[0]", "E000")]
    one = tmp_path / "one.json"  # a file that is one claim: its report alone, as before
    one.write_text(json.dumps(claims[0]))
    assert main(["check", str(one), "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["claim_id"] == "E000"


def test_a_folder_given_as_a_claim_file(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """It said "cannot read DIR: [Errno 21] Is a directory: 'DIR'"."""
    assert main(["check", str(tmp_path)]) == 3
    assert capsys.readouterr().err == f"codekit: cannot read {tmp_path}: a folder, not a " \
        "claim file\n"


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="Linux's /proc")
def test_a_file_that_opens_but_cannot_be_read_is_one_line_not_a_traceback(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """/proc/self/mem opens, and reading it fails (EIO: what a failing disk or a stale NFS
    handle does too): a traceback and "internal error ... a bug in codekit". Said as a
    file that cannot be opened is, after the reports of the files before it."""
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(c) for c in claims[:2]) + "\n")
    assert main(["check", str(good), "/proc/self/mem", "--format", "jsonl"]) == 3
    out, err = capsys.readouterr()
    assert [r["claim_id"] for r in _rows(out)] == ["E000", "E001"]
    assert err == "codekit: cannot read /proc/self/mem: Input/output error\n"


# -- where the output goes ----------------------------------------------------------------------


class _Tty(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("stdout_tty", [False, True])
def test_the_progress_line_is_not_written_between_reports_on_a_terminal(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        stdout_tty: bool) -> None:
    """With stdout and stderr both a terminal, "\\rchecked 2 claims (3/s)== claims:3"
    cut the text reports up; the progress line is for output going to a file or pipe."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:5]) + "\n")
    out, err = _Tty(stdout_tty), _Tty(True)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(_progress, "time", TickingClock())
    main(["check", str(src), "--format", "jsonl"])
    assert ("\rchecked 5 claims" in err.getvalue()) is not stdout_tty
    assert "checked" not in out.getvalue()
    assert len(out.getvalue().splitlines()) == 5


def test_closed_standard_output_is_an_error(tmp_path: Path, claims: list[dict[str, Any]],
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check x.json >&-` died with AttributeError ('NoneType' has no 'write'),
    exit 1; `codekit lookup E11.9 >&-` printed nothing and exited 0."""
    src = tmp_path / "one.json"
    src.write_text(json.dumps(claims[0]))
    monkeypatch.setattr(sys, "stdout", None)
    assert main(["check", str(src)]) == 3
    assert main(["lookup", "E11.9"]) == 3
    assert capsys.readouterr().err == 2 * (
        "codekit: standard output is closed: nowhere to write the results (redirect it to "
        "a file, or to /dev/null)\n")


def test_a_code_argument_that_is_not_utf8_keeps_json_utf8(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the C locale (standard output's errors: surrogateescape), `codekit validate
    --json $'E11.6\\xff'` wrote the byte 0xff raw inside the JSON: not UTF-8, so not
    JSON a reader (jq) takes. It is written as its JSON escape."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape")
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["validate", "--json", "E11.6\udcff", "--on", "2025-06-01"]) == 1
    out.flush()
    [item] = json.loads(raw.getvalue().decode("utf-8"))
    assert (item["input"], item["error"]) == ("E11.6\udcff", "DX_FORMAT_INVALID")


def test_closed_standard_error_loses_no_report(tmp_path: Path, claims: list[dict[str, Any]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """`codekit check claims.jsonl 2>&-` wrote no report at all and exited 1 (an
    AttributeError on sys.stderr, its traceback shown nowhere)."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:3]) + "\n")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", None)
    code = main(["check", str(src), str(tmp_path / "missing.jsonl"), "--format", "jsonl"])
    assert code == 3
    assert [r["input"] for r in _rows(out.getvalue())] == [f"{src}:{n}" for n in (1, 2, 3)]


def test_a_closed_pipe_ends_quietly(tmp_path: Path, claims: list[dict[str, Any]]) -> None:
    """`codekit check big.jsonl --format jsonl | head -1`: no traceback, no "Exception
    ignored" at exit, exit 0."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims * 8) + "\n")  # > a pipe buffer
    proc = subprocess.Popen([sys.executable, "-m", "codekit", "check", str(src), "--format",
                             "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == 0
    assert json.loads(first)["input"] == f"{src}:1"
    assert b"Traceback" not in err and b"Exception ignored" not in err


class _ClosedAfter(io.StringIO):
    """Standard output read by a pipe whose reader goes away after ``n`` writes (``| head
    -1``): the next write is a BrokenPipeError."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.left = n

    def write(self, text: str) -> int:
        if self.left <= 0:
            raise BrokenPipeError(32, "Broken pipe")
        self.left -= 1
        return super().write(text)


def test_version_into_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit --version | head -1` was a BrokenPipeError traceback, exit 1: --version
    runs while the arguments are parsed, which was outside what main() guards."""
    out = _ClosedAfter(2)  # the version line and its newline
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["--version"]) == 0
    assert out.getvalue().startswith("codekit ")
    assert capsys.readouterr().err == ""


def test_ctrl_c_while_the_arguments_are_read(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C during start-up (the commands' modules imported while the parser is built)
    or during `codekit --version` (it reads every table) was a KeyboardInterrupt
    traceback, and the process killed by SIGINT, not exit 130."""
    from codekit.cli import codes

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    for target, name in ((codes, "data_summary"), (codekit.cli, "_parser")):
        with monkeypatch.context() as m:
            m.setattr(target, name, interrupted)
            try:
                code = main(["--version"])
            except KeyboardInterrupt:
                pytest.fail(f"Ctrl-C in {name} escaped main() as a traceback")
        assert (code, capsys.readouterr().err) == (130, "codekit: interrupted\n")


def test_version_with_damaged_data_is_an_error_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A table --version cannot read is said as any command says it: exit 3, one line."""
    from codekit.cli import codes
    from codekit.errors import DataError

    def damaged(today: object = None) -> list[str]:
        raise DataError("data/icd10cm/FY2026.ckt: sha256 does not match PROVENANCE.json")

    monkeypatch.setattr(codes, "data_summary", damaged)
    assert main(["--version"]) == 3
    err = capsys.readouterr().err
    assert err == ("codekit: data/icd10cm/FY2026.ckt: sha256 does not match "
                   "PROVENANCE.json\n")


# -- runs that end early ----------------------------------------------------------------------


def _stop_at(monkeypatch: pytest.MonkeyPatch, n: int, stop: Any) -> None:
    """The n-th claim checked raises ``stop`` (or calls it) instead of being checked."""
    report_of = codekit.batch.report_of
    calls = [0]

    def stopping(checker: Any, item: object) -> Any:
        calls[0] += 1
        if calls[0] == n:
            if isinstance(stop, BaseException):
                raise stop
            stop()
        return report_of(checker, item)

    monkeypatch.setattr(codekit.batch, "report_of", stopping)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_ctrl_c_writes_what_was_checked_and_exits_130(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """Ctrl-C mid-batch was a KeyboardInterrupt traceback, and a JSON list left open."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:10]) + "\n")
    _stop_at(monkeypatch, 5, KeyboardInterrupt())
    assert main(["check", str(src), "--format", fmt]) == 130
    captured = capsys.readouterr()
    reports = json.loads(captured.out) if fmt == "json" else _rows(captured.out)
    assert [r["claim_id"] for r in reports] == ["E000", "E001", "E002", "E003"]
    assert captured.err == ("codekit: interrupted: stopped after 4 claims (their reports "
                            "are written; the claims after them were not checked)\n")


def test_ctrl_c_after_the_first_claim_writes_it(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:3]) + "\n")
    _stop_at(monkeypatch, 2, KeyboardInterrupt())
    assert main(["check", str(src), "--format", "jsonl"]) == 130
    assert [r["claim_id"] for r in _rows(capsys.readouterr().out)] == ["E000"]


class _Killed(Exception):
    pass


def test_sigterm_writes_what_was_checked_and_exits_143(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """SIGTERM (a scheduler's stop, `timeout`) killed the run: the reports still in the
    output buffer lost, no word said."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:10]) + "\n")

    def killed(signum: int, frame: Any) -> None:
        raise _Killed  # what the run does without its own handler (the test goes on)

    previous = signal.signal(signal.SIGTERM, killed)
    try:
        _stop_at(monkeypatch, 4, lambda: os.kill(os.getpid(), signal.SIGTERM))
        assert main(["check", str(src), "--format", "json"]) == 143
        assert signal.getsignal(signal.SIGTERM) is killed  # put back
    finally:
        signal.signal(signal.SIGTERM, previous)
    captured = capsys.readouterr()
    assert [r["claim_id"] for r in json.loads(captured.out)] == ["E000", "E001", "E002"]
    assert captured.err == ("codekit: SIGTERM: stopped after 3 claims (their reports are "
                            "written; the claims after them were not checked)\n")


def test_a_worker_that_dies_ends_the_run_with_a_message(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A worker process killed (the out-of-memory killer) was a BrokenProcessPool
    traceback, exit 1."""
    from concurrent.futures.process import BrokenProcessPool

    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:10]) + "\n")
    _stop_at(monkeypatch, 3, BrokenProcessPool("terminated abruptly"))
    assert main(["check", str(src), "--format", "jsonl"]) == 3
    captured = capsys.readouterr()
    assert [r["claim_id"] for r in _rows(captured.out)] == ["E000", "E001"]
    assert captured.err == ("codekit: a worker process died (killed from outside, or out "
                            "of memory): stopped after 2 claims (their reports are "
                            "written); run again with fewer --processes\n")


def test_standard_input_given_twice_is_a_usage_error(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check - - < claims.jsonl` checked the claims, then made up an unreadable
    claim `<stdin>` ("empty input: no claim in it") of the second '-', exit 2."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(claims[0]) + "\n"))
    assert main(["check", "-", "-", "--format", "jsonl"]) == 3
    assert capsys.readouterr() == ("", "codekit: standard input ('-') is given more than "
                                       "once: it can be read once\n")


def test_mue_effective_without_a_mue_file_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`--mue-effective` with no `--mue` file was silently ignored (a user who meant it
    for the MUE files of --ncci DIR got their names' quarters), even a date that does not
    exist."""
    claim = str(EXAMPLES / "knee_injection.json")
    assert main(["check", claim, "--mue-effective", "2025-10-01"]) == 3
    assert capsys.readouterr() == ("", (
        "codekit: --mue-effective is the first day of the --mue files, and no --mue file "
        "is given (the MUE files of --ncci DIR take their quarter from their names)\n"))
    with pytest.raises(SystemExit) as e:
        main(["check", claim, "--mue-effective", "2025-13-01"])
    assert e.value.code == 3
    assert capsys.readouterr().err.splitlines()[-1] == (
        "codekit check: error: argument --mue-effective: expected a date, 'YYYY-MM-DD' or "
        "an ISO date-time, got '2025-13-01'")


def test_closed_standard_input(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    """`codekit check - <&-` was an AttributeError traceback, exit 1."""
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["check", "-"]) == 3
    assert capsys.readouterr().err == "codekit: standard input ('-') is closed\n"


class _WouldWait(Exception):
    pass


class _Live(io.RawIOBase):
    """A pipe fed as claims come: what was sent so far, then it would wait."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if not self.chunks:
            raise _WouldWait
        chunk = self.chunks.pop(0)
        b[:len(chunk)] = chunk
        return len(chunk)


@pytest.mark.parametrize("bom", [b"", b"\xff\xfe"])
def test_claims_piped_in_as_they_come_are_read_as_they_come(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]], bom: bytes) -> None:
    """Reading JSON lines must not wait for 64 KiB (or the end) of a pipe that sends
    claims as they come (a queue consumer piped into `codekit check -`)."""
    encoding = "utf-16-le" if bom else "utf-8"
    lines = [(json.dumps(c) + "\n").encode(encoding) for c in claims[:3]]
    raw = _Live([bom + lines[0], lines[1] + lines[2]])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    inputs = check_cli.read_inputs(["-"])
    assert [next(inputs).where for _ in range(3)] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    with pytest.raises(_WouldWait):  # the fourth claim is still to come
        next(inputs)


def _inputs_of(data: bytes) -> list[tuple[str, Any]]:
    """(where, item) of each input of ``data`` read as a file named ``f``."""
    stream = io.BufferedReader(io.BytesIO(data))
    return [(i.where, i.item) for i in check_cli._read_stream(stream, "f")]


def test_claims_one_after_another_are_read_with_their_lines(
        claims: list[dict[str, Any]]) -> None:
    """Pretty-printed claims one after another (`jq '.[]'` output): each claim at the line
    where it starts (the lines were once counted from the start again for each claim: 63 s
    instead of 3 s for 20,000 claims; they are counted once, as the text streams by)."""
    texts = [json.dumps(c, indent=2) for c in claims]
    got = _inputs_of(("\n".join(texts) + "\n").encode())
    starts = [1]
    for t in texts[:-1]:
        starts.append(starts[-1] + t.count("\n") + 1)
    assert got == [(f"f:{n}", c) for n, c in zip(starts, claims, strict=True)]


def _damaged_object_message(data: bytes, at: int) -> str:
    """The message of a value damaged at byte ``at`` of ``data``."""
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return (f"at line {line}, column {column} (byte {at:,} of the input); this value is "
            "skipped: reading goes on at the next line that starts with '{'")


def test_pretty_printed_claims_with_a_damaged_one_lose_only_it(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """Claims written one after another (`jq '.[]'`) with one damaged object were read
    line by line: three pretty-printed claims, the last cut short, gave 55 results, all
    CLAIM_FORMAT_INVALID ("55 claims: ... 55 unreadable"), and the two good claims were
    never checked. Each good object is a claim; the damaged one is one result saying
    where it failed; reading goes on at the next line that starts with "{"."""
    a, b, c = (json.dumps(x, indent=2) for x in claims[:3])
    cut = (a + "\n" + b + "\n" + c[:40] + "\n").encode()
    src = tmp_path / "cut.json"
    src.write_bytes(cut)
    assert main(["check", str(src), "--format", "jsonl"]) == 2
    captured = capsys.readouterr()
    rows = _rows(captured.out)
    b_line = a.count("\n") + 2
    c_line = b_line + b.count("\n") + 1
    assert [(r["input"], r["claim_id"]) for r in rows] == [
        (f"{src}:1", "E000"), (f"{src}:{b_line}", "E001"), (f"{src}:{c_line}", None)]
    assert _format_messages(rows[0]) == _format_messages(rows[1]) == []
    assert _format_messages(rows[2]) == [
        "not JSON: Invalid control character "  # the line end inside the cut string
        + _damaged_object_message(cut, len(cut) - 1)]
    assert captured.err.startswith("3 claims: ") and "1 unreadable" in captured.err
    # a damaged object in the middle (a doubled comma): the objects after it are read
    middle = (a + "\n" + b.replace('"line": 1,', '"line": 1,,') + "\n" + c + "\n").encode()
    got = _inputs_of(middle)
    assert [(where, item) for where, item in got if isinstance(item, dict)] == [
        ("f:1", claims[0]), (f"f:{c_line}", claims[2])]
    (where, error), = [(w, i) for w, i in got if isinstance(i, ClaimFormatError)]
    assert where == f"f:{b_line}" and error.problems == (((), (
        "not JSON: Expecting property name enclosed in double quotes "
        + _damaged_object_message(middle, middle.index(b",,") + 1))),)
    # text between the objects: one result, and the next object read
    junk = (a + "\n}garbage{\n" + c + "\n").encode()
    assert [(w, type(i).__name__) for w, i in _inputs_of(junk)] == [
        ("f:1", "dict"), (f"f:{b_line}", "ClaimFormatError"), (f"f:{b_line + 1}", "dict")]


def test_one_damaged_claim_file_is_one_result(claims: list[dict[str, Any]]) -> None:
    """A file of one pretty-printed claim cut short was one result per line (26 unreadable
    "claims" for one)."""
    text = json.dumps(claims[0], indent=2)
    (where, error), = _inputs_of(text[:-30].encode())
    assert where == "f:1" and isinstance(error, ClaimFormatError)
    assert error.problems[0][1].startswith("not JSON: ")
    assert _inputs_of(text.encode()) == [("f", claims[0])]  # whole: the file's claim


def test_fhir_ndjson_with_a_damaged_first_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """FHIR NDJSON whose first line was cut short was read as one JSON document: one
    FHIR_FORMAT_INVALID result for the whole file, and the Claims after it lost."""
    from tests.test_fhir import claim

    lines = [json.dumps(claim(id=x)) for x in "cde"]
    nd = tmp_path / "claims.ndjson"
    nd.write_text("\n".join([lines[0][:120], lines[1], lines[2]]) + "\n")
    assert main(["check", str(nd), "--format", "jsonl", "--quiet"]) == 2
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["findings"][0]["rule"]) for r in rows] == [
        (f"{nd}:line 1", "FHIR_FORMAT_INVALID"), (f"{nd}:line 2: Claim", "LATERALITY_MISMATCH"),
        (f"{nd}:line 3: Claim", "LATERALITY_MISMATCH")]


def test_a_fhir_record_that_is_no_claim_is_counted_unreadable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A FHIR record codekit could read no Claim from (FHIR_FORMAT_INVALID) was counted
    "with errors" in the summary, where a JSON one (CLAIM_FORMAT_INVALID) is unreadable."""
    from tests.test_fhir import claim

    nd = tmp_path / "claims.ndjson"
    patient = {"resourceType": "Patient", "id": "p1"}
    nd.write_text("\n".join(json.dumps(x) for x in (claim(id="c"), patient, claim(id="e")))
                  + "\n")
    assert main(["check", str(nd), "--format", "jsonl"]) == 2
    captured = capsys.readouterr()
    assert [r["findings"][0]["rule"] for r in _rows(captured.out)] == [
        "LATERALITY_MISMATCH", "FHIR_FORMAT_INVALID", "LATERALITY_MISMATCH"]
    assert captured.err.splitlines()[0] == (
        "3 claims: 0 clean, 0 judged outside the data only, 0 with warnings only, "
        "2 with errors, 1 unreadable")


def test_a_claim_keeping_its_fhir_source_under_extra_is_no_fhir(
        tmp_path: Path, claims: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    """"resourceType" anywhere in the first 4 KiB (a claim keeping its FHIR source under
    `extra`, as batch.md recommends for your own fields) made the file FHIR: every claim
    FHIR_FORMAT_INVALID "not a FHIR resource: no resourceType", claim id null."""
    src = tmp_path / "claims.jsonl"
    kept = [{**c, "extra": {"source": {"resourceType": "Claim", "id": "f-1"}}}
            for c in claims[:3]]
    src.write_text("".join(json.dumps(c) + "\n" for c in kept))
    main(["check", str(src), "--format", "jsonl", "--quiet"])
    rows = _rows(capsys.readouterr().out)
    assert [(r["input"], r["claim_id"]) for r in rows] == [
        (f"{src}:{n}", f"E00{n - 1}") for n in (1, 2, 3)]
    assert not any(f["rule"].startswith("FHIR_") for r in rows for f in r["findings"])


def test_json_lines_whose_first_line_is_damaged_are_streamed(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]]) -> None:
    """A first line cut short made JSON lines one document read whole (a 100 MB file
    peaked at 664 MB instead of 78 MB; claims piped in got no report until the end); a
    first line nested too deeply made the whole file one result."""
    data = ('{"claim_id": "trunc",\n' + "".join(json.dumps(c) + "\n" for c in claims * 20)
            ).encode()
    raw = _Counting(data)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    inputs = check_cli.read_inputs(["-"])
    first = next(inputs)
    assert raw.pos < len(data) // 4  # not read whole
    assert first.where == "<stdin>:1" and first.item == b'{"claim_id": "trunc",\n'
    assert [i.where for i in inputs] == [f"<stdin>:{n}" for n in range(2, 2 + 40 * 20)]
    deep = ("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps(claims[0]) + "\n").encode()
    assert [(w, type(i).__name__) for w, i in _inputs_of(deep)] == [
        ("f:1", "bytes"), ("f:2", "bytes")]


def test_a_line_longer_than_a_claim_is_skipped_unread(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]]) -> None:
    """A 50 MB JSON line cost 280 MB of memory before its claim was refused: a line over
    MAX_CLAIM_BYTES is one result, never held whole (here the bound is 2,000 bytes)."""
    monkeypatch.setattr(codekit.batch, "MAX_CLAIM_BYTES", 2000)
    big = json.dumps({**claims[0], "extra": {"note": "x" * 100_000}})
    data = "\n".join([json.dumps(claims[0]), big, json.dumps(claims[1]), big]).encode()
    got = _inputs_of(data)
    assert [w for w, _ in got] == ["f:1", "f:2", "f:3", "f:4"]
    assert [type(i).__name__ for _, i in got] == ["bytes", "ClaimFormatError", "bytes",
                                                  "ClaimFormatError"]
    assert got[1][1].problems == (((), (
        f"the line is {len(big):,} bytes long: codekit reads a claim of at most 2,000 bytes, "
        "and did not read this one")),)


class _Pipe:
    """A real pipe as standard input: what was written, then a writer that is slow."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        r, self.w = os.pipe()
        self.reader = os.fdopen(r, "rb")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(self.reader))

    def send(self, data: bytes) -> None:
        os.write(self.w, data)

    def close(self) -> None:
        os.close(self.w)


@pytest.mark.parametrize("pretty", [False, True])
def test_a_pipe_that_stalls_is_said_to_stall(
        monkeypatch: pytest.MonkeyPatch, claims: list[dict[str, Any]], pretty: bool) -> None:
    """`--processes N` held every report of a stream until 2 x N x 256 claims were read or
    the input ended (six claims sent two seconds apart all came out at the end): when a
    pipe sends nothing for STALL seconds, the reader says so, and the command has the
    claims read so far checked and written."""
    pipe = _Pipe(monkeypatch)
    sep = "\n"
    texts = [json.dumps(c, indent=2 if pretty else None) for c in claims[:3]]
    pipe.send((texts[0] + sep + texts[1] + sep).encode())
    inputs = check_cli._inputs(["-"])
    assert next(inputs).item == claims[0] if pretty else json.loads(next(inputs).item)
    assert next(inputs).where == f"<stdin>:{texts[0].count(sep) + 2}"
    assert next(inputs) is check_cli._PAUSE  # not waiting for the third claim
    pipe.send((texts[2] + sep).encode())
    pipe.close()
    assert [i.where for i in inputs] == [
        f"<stdin>:{texts[0].count(sep) + texts[1].count(sep) + 3}"]
    pipe.reader.close()


def test_a_bug_exits_3_with_its_traceback_not_1(
        tmp_path: Path, claims: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An exception codekit did not expect left Python's exit code 1, which the exit codes
    give to "warnings only": a pipeline passing exit 1 passed a batch never checked."""
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c) for c in claims[:3]) + "\n")
    monkeypatch.setattr(codekit.cli, "_parser", lambda: _Crashing())
    assert main(["check", str(src)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: an unexpected bug" in err
    assert err.endswith("codekit: internal error (RuntimeError: an unexpected bug): a bug in "
                        "codekit, not in the input; the results above may be incomplete. "
                        "Please report it with the traceback above.\n")


class _Crashing:
    """A parser whose command raises what codekit never raises on purpose."""

    def parse_args(self, argv: Any) -> Any:
        def fn(args: Any) -> int:
            raise RuntimeError("an unexpected bug")
        return argparse.Namespace(cmd="lookup", fn=fn)

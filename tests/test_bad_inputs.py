"""A corpus of bad inputs (ballot CSVs, rosters as CSV and XLSX, scheme TOML,
command-line fields), each refused with a clear Chinese message and nothing
stored, identically on SQLite and PostgreSQL (DESIGN §11).

The corpus is generated here: every kind of invisible or control character in
every field of every file, over-long values, numbers that are not numbers
(NaN, inf, huge, non-ASCII digits) and the structural mistakes of each format.
One database per backend runs the whole corpus; the stored state (row counts
of every table) is compared before and after each case, and the verdicts of
the two backends are compared case by case."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import _PG_SKIP, PASSWORD, _drop_schema, _pg_schema_url

BASE_ROSTER = """编号,姓名,单位,职务,类别,分管领导
A01,王伟,财政局,预算股股长,服务类,副局长赵某
A02,李娜,财政局,国库股股长,服务类,副局长赵某
A03,张强,民政局,救助股股长,服务类,副局长钱某
"""
BASE_SCHEME = """name = "{name}"
kind = "shuangding"
{extra}
[[indicator]]
key = "{k1}"
name = "{n1}"
max = {m1}
[[indicator]]
key = "clean"
name = "评廉"
max = {m2}
[grades]
{grades}
[[group]]
key = "masses"
name = "{g1}"
weight = {w1}
[[group]]
key = "npc"
name = "{g2}"
weight = 0.4
[rules]
{rules}
"""
SCHEME_DEFAULTS = {"name": "语料方案", "extra": "", "k1": "perf", "n1": "评绩", "m1": "50", "m2": "50",
                   "grades": '"好" = 1.0\n"差" = 0.5', "g1": "群众代表", "g2": "人大代表", "w1": "0.6",
                   "rules": "trim = 0\nbottom_n = 1\nstreak = 2"}

# Characters that have no place in a name or a cell: C0 and C1 controls, DEL,
# zero-width characters, bidirectional controls, a byte-order mark mid-text.
BAD_CHARS = {"NUL": "\x00", "SOH": "\x01", "ESC": "\x1b", "DEL": "\x7f", "NEL": "\x85", "RLO": "\u202e",
             "ZWSP": "\u200b", "ZWJ": "\u200d", "RLI": "\u2067", "BOM": "\ufeff", "ALM": "\u061c", "LRM": "\u200e"}


@dataclass(frozen=True)
class Case:
    kind: str       # ballots, roster, roster_xlsx, scheme, cli
    name: str
    data: object    # file text, rows for XLSX, or CLI arguments


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def ballot_cases() -> list[Case]:
    head = "ballot,group,person,perf,clean\n"
    good = ["S1", "masses", "A01", "45", "40"]

    def row(**change: str) -> str:
        cells = dict(zip(["ballot", "group", "person", "perf", "clean"], good, strict=True))
        cells.update(change)
        return ",".join(_csv_cell(v) for v in cells.values())

    out = []
    for label, ch in BAD_CHARS.items():
        for field in ("ballot", "group", "person", "perf"):
            value = dict(zip(["ballot", "group", "person", "perf"], good, strict=False))[field]
            out.append(Case("ballots", f"{label} in {field}", head + row(**{field: value[:1] + ch + value[1:]})))
    structural = {
        "empty file": "",
        "header only": head,
        "wrong header": "serial,group,person,perf,clean\n" + row(),
        "missing indicator column": "ballot,group,person,perf\nS1,masses,A01,45\n",
        "unknown column": "ballot,group,person,perf,clean,extra\nS1,masses,A01,45,40,1\n",
        "partial entry": head + row(clean=""),
        "over max": head + row(perf="51"),
        "negative": head + row(perf="-1"),
        "two decimals": head + row(perf="40.55"),
        "unknown grade": head + row(perf="优"),
        "unknown person": head + row(person="Z99"),
        "unknown group": head + row(group="nobody"),
        "missing serial": head + row(ballot=""),
        "serial 100000 chars": head + row(ballot="S" * 100_000),
        "serial 33 chars": head + row(ballot="S" * 33),
        "same person twice": head + row() + "\n" + row(),
        "group changes within ballot": head + row() + "\n" + row(group="npc", person="A02"),
        "short row": head + "S1,masses,A01,45\n",
        "nan": head + row(perf="nan"),
        "inf": head + row(perf="inf"),
        "exponent": head + row(perf="4e1"),
        "5000 digits": head + row(perf="9" * 5000),
        "arabic-indic digits": head + row(perf="\u0664\u0665"),
        "fullwidth digits": head + row(perf="４５"),
        "hex": head + row(perf="0x2d"),
        "comma decimal": head + row(perf="4,5"),
        "percent": head + row(perf="45%"),
        "space inside": head + row(perf="4 5"),
        "10000-char grade": head + row(perf="好" * 10_000),
        "binary garbage": "\x89PNG\r\n\x1a\n\x00\x00\x00",
    }
    out += [Case("ballots", k, v) for k, v in structural.items()]
    return out


def roster_cases() -> list[Case]:
    head = "编号,姓名,单位,职务,类别,分管领导\n"
    good = ["B01", "赵六", "财政局", "股长", "服务类", "副局长"]
    columns = ["编号", "姓名", "单位", "职务", "类别", "分管领导"]

    def row(i: int, value: str) -> str:
        cells = list(good)
        cells[i] = value
        return ",".join(_csv_cell(c) for c in cells) + "\n"

    out = []
    for label, ch in BAD_CHARS.items():
        for i, col in enumerate(columns):
            out.append(Case("roster", f"{label} in {col}", head + row(i, good[i][:1] + ch + good[i][1:])))
    longest = {"编号": 33, "姓名": 51, "单位": 61, "职务": 61, "类别": 31, "分管领导": 61}
    for i, col in enumerate(columns):
        out.append(Case("roster", f"{col} too long", head + row(i, "长" * longest[col])))
        out.append(Case("roster", f"{col} 10000 chars", head + row(i, "长" * 10_000)))
    out += [Case("roster", k, v) for k, v in {
        "empty": "",
        "header only": head,
        "missing 姓名 column": "编号,单位\nB01,财政局\n",
        "missing name": head + row(1, ""),
        "missing unit": head + row(2, ""),
        "missing code": head + row(0, ""),
        "code with space": head + row(0, "B 01"),
        "duplicate code": head + row(0, "B01") + row(0, "B01"),
        "NUL byte file": head + "B01,赵\x00六,财政局,股长,,\n",
        "old xls": "D0CF11E0",
    }.items()]
    return out


def xlsx_cases() -> list[Case]:
    good = ["C01", "钱七", "民政局", "股长", "服务类", "副局长"]
    out = []
    for label in ("RLO", "ZWSP", "RLI", "BOM", "LRM"):
        for i in range(6):
            cells = list(good)
            cells[i] = cells[i][:1] + BAD_CHARS[label] + cells[i][1:]
            out.append(Case("roster_xlsx", f"{label} in column {i + 1}", cells))
    for i in range(6):
        cells = list(good)
        cells[i] = "长" * 200
        out.append(Case("roster_xlsx", f"200 chars in column {i + 1}", cells))
    return out


def scheme_cases() -> list[Case]:
    def scheme(**change: str) -> str:
        return BASE_SCHEME.format(**{**SCHEME_DEFAULTS, **change})

    variants = {
        "max nan": {"m1": "nan"}, "max inf": {"m1": "inf"}, "max -inf": {"m1": "-inf"}, "max 0": {"m1": "0"},
        "max 101": {"m1": "101", "m2": "-1"}, "max 33.33": {"m1": "33.33", "m2": "66.67"},
        "max sums to 90": {"m2": "40"}, "max as text": {"m1": '"50"'}, "max huge": {"m1": "1e308"},
        "weight nan": {"w1": "nan"}, "weight inf": {"w1": "inf"}, "weight 0": {"w1": "0"},
        "weight negative": {"w1": "-0.5"}, "weight 1e9": {"w1": "1e9"}, "weight text": {"w1": '"0.6"'},
        "weight true": {"w1": "true"},
        "trim int64": {"rules": "trim = 9223372036854775807\nbottom_n = 1\nstreak = 2"},
        "trim negative": {"rules": "trim = -1\nbottom_n = 1\nstreak = 2"},
        "trim float": {"rules": "trim = 1.5\nbottom_n = 1\nstreak = 2"},
        "bottom_n 0": {"rules": "trim = 0\nbottom_n = 0\nstreak = 2"},
        "bottom_n huge": {"rules": "trim = 0\nbottom_n = 100000\nstreak = 2"},
        "streak 0": {"rules": "trim = 0\nbottom_n = 1\nstreak = 0"},
        "ratio 1.5": {"rules": "trim = 0\nbottom_n = 1\nstreak = 2\nmax_excellent_ratio = 1.5"},
        "ratio nan": {"rules": "trim = 0\nbottom_n = 1\nstreak = 2\nmax_excellent_ratio = nan"},
        "excellent_at 101": {"rules": "trim = 0\nbottom_n = 1\nstreak = 2\nexcellent_at = 101"},
        "excellent_at inf": {"rules": "trim = 0\nbottom_n = 1\nstreak = 2\nexcellent_at = inf"},
        "unknown rule": {"rules": "trim = 0\nbottom_n = 1\nstreak = 2\nlast_n = 3"},
        "numeric grade 40": {"grades": '"40" = 1.0'}, "numeric grade 4.5": {"grades": '"4.5" = 0.5'},
        "fullwidth numeric grade": {"grades": '"４０" = 1.0'},
        "empty grade": {"grades": '"" = 1.0'}, "blank grade": {"grades": '" " = 1.0'},
        "grade with ZWSP": {"grades": '"好\u200b" = 1.0\n"好" = 0.5'},
        "grade with NUL": {"grades": '"好\\u0000" = 1.0'},
        "grade 11 chars": {"grades": '"' + "好" * 11 + '" = 1.0'},
        "grade fraction 2": {"grades": '"好" = 2'}, "grade fraction nan": {"grades": '"好" = nan'},
        "grade not tenths": {"grades": '"好" = 0.333'},
        "name with RLO": {"name": "方案\u202e反"}, "name with ESC": {"name": "方案\\u001b"},
        "name 61 chars": {"name": "方" * 61}, "name 10000 chars": {"name": "方" * 10_000},
        "group names differ by ZWSP": {"g1": "人大代表\u200b", "g2": "人大代表"},
        "group names equal after NFKC": {"g1": "代表Ａ", "g2": "代表A"},
        "group name NUL": {"g1": "群众\\u0000"}, "group name LRM": {"g1": "群众\u200e"},
        "indicator name RLI": {"n1": "评\u2067绩"}, "indicator name 31 chars": {"n1": "评" * 31},
        "key uppercase": {"k1": "Perf"}, "key with newline": {"k1": "perf\\n"}, "key 33 chars": {"k1": "p" * 33},
        "key duplicate": {"k1": "clean"},
        "description with NUL": {"extra": 'description = "说明\\u0000"'},
        "description 501 chars": {"extra": 'description = "' + "说" * 501 + '"'},
        "description as number": {"extra": "description = 3"},
        "unknown field": {"extra": 'owner = "某人"'},
        "kind wrong": {"extra": ""},
    }
    out = [Case("scheme", k, scheme(**v)) for k, v in variants.items()]
    out[-1] = Case("scheme", "kind wrong", scheme().replace('kind = "shuangding"', 'kind = "other"'))
    out += [Case("scheme", "not TOML", "name = 语料方案\n"),
            Case("scheme", "empty", ""),
            Case("scheme", "301 groups", scheme() + "".join(
                f'[[group]]\nkey = "g{i}"\nname = "类{i}"\nweight = 1\n' for i in range(301))),
            Case("scheme", "not UTF-8", "name = \"方案\"".encode("gbk").decode("latin-1"))]
    return out


def cli_cases() -> list[Case]:
    create = ["room", "create", "--scheme", "基础方案", "--id"]
    out = []
    for label in ("NUL", "ESC", "RLO", "ZWSP", "NEL", "BOM"):
        out.append(Case("cli", f"title {label}", [*create, f"T{label}", "--title", "会场" + BAD_CHARS[label]]))
        out.append(Case("cli", f"series {label}", [*create, f"S{label}", "--title", "会场", "--series",
                                                   "系列" + BAD_CHARS[label], "--round", "1"]))
        out.append(Case("cli", f"user name {label}", ["user", "add", "u" + BAD_CHARS[label], "--role", "organizer"]))
        out.append(Case("cli", f"ledger reason {label}", ["ledger", "deduct", "A01", "1", "--reason",
                                                          "事由" + BAD_CHARS[label]]))
    out += [Case("cli", k, v) for k, v in {
        "title 101 chars": [*create, "TL", "--title", "会" * 101],
        "title 100000 chars": [*create, "TL2", "--title", "会" * 100_000],
        "title blank": [*create, "TB", "--title", "   "],
        "id with newline": [*create, "R1\n", "--title", "会场"],
        "id 33 chars": [*create, "R" * 33, "--title", "会场"],
        "id path": [*create, "../x", "--title", "会场"],
        "round 0": [*create, "RR0", "--title", "会场", "--series", "系列", "--round", "0"],
        "round huge": [*create, "RR1", "--title", "会场", "--series", "系列", "--round", "99999999"],
        "codes huge": [*create, "RC1", "--title", "会场", "--codes", "masses=99999999999"],
        "codes 5000 digits": [*create, "RC2", "--title", "会场", "--codes", "masses=" + "9" * 5000],
        "codes arabic digits": [*create, "RC3", "--title", "会场", "--codes", "masses=\u0663"],
        "codes negative": [*create, "RC4", "--title", "会场", "--codes", "masses=-3"],
        "series 61 chars": [*create, "RS", "--title", "会场", "--series", "系" * 61, "--round", "1"],
        "user name 33 chars": ["user", "add", "u" * 33, "--role", "organizer"],
        "user name with space": ["user", "add", "u v", "--role", "organizer"],
        "user role wrong": ["user", "add", "uv", "--role", "root"],
        "ledger reason 501 chars": ["ledger", "deduct", "A01", "1", "--reason", "由" * 501],
        "ledger points nan": ["ledger", "deduct", "A01", "nan", "--reason", "事由"],
        "ledger points inf": ["ledger", "deduct", "A01", "inf", "--reason", "事由"],
        "ledger points huge": ["ledger", "deduct", "A01", "9" * 5000, "--reason", "事由"],
        "ledger source long": ["ledger", "deduct", "A01", "1", "--reason", "事由", "--source", "源" * 31],
        "warning reason NUL": ["warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "事\x00由"],
        "warning reason 501": ["warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "事" * 501],
        "warning recipient RLO": ["warnings", "draft", "--target", "A01", "--level", "blue", "--reason", "事由",
                                  "--recipient", "局长\u202e"],
    }.items()]
    return out


CORPUS = ballot_cases() + roster_cases() + xlsx_cases() + scheme_cases() + cli_cases()


def test_corpus_is_big_enough():
    assert len(CORPUS) >= 150
    assert len({(c.kind, c.name) for c in CORPUS}) == len(CORPUS)


def _state() -> str:
    """Every table's row count (audit records other than logins): what a refused input must leave as it was."""
    from pingyi.db.connection import database, session

    with session():
        counts = [(t, database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
                  for t in sorted(database.get_tables()) if t != "audit_event"]
        # a command's own login is recorded; nothing else may be
        counts.append(("audit_event", database.execute_sql(
            "SELECT COUNT(*) FROM audit_event WHERE action NOT IN ('login', 'login.failed')").fetchone()[0]))
    return hashlib.sha256(repr(counts).encode()).hexdigest()


def _run_corpus(url: str, tmp: Path, monkeypatch) -> dict[tuple[str, str], tuple[str, str]]:
    from click.testing import CliRunner
    from pingyi.db.connection import close_database, open_database

    from pingyi.cli import cli
    from pingyi.common.errors import PingyiError
    from pingyi.people import accounts, roster
    from pingyi.voting import ballots, rooms, schemes

    open_database(url)
    admin = accounts.init_admin("admin", PASSWORD)
    base = tmp / "base"
    base.mkdir()
    (base / "roster.csv").write_text(BASE_ROSTER, encoding="utf-8")
    (base / "scheme.toml").write_text(BASE_SCHEME.format(**{**SCHEME_DEFAULTS, "name": "基础方案"}),
                                      encoding="utf-8")
    roster.import_roster(admin, base / "roster.csv")
    schemes.import_scheme(admin, base / "scheme.toml")
    rooms.create_room(admin, "基础方案", "语料会场", "C1")
    rooms.open_room(admin, "C1")
    monkeypatch.setenv("PINGYI_DB", url)
    monkeypatch.setenv("PINGYI_USER", "admin")
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    monkeypatch.setenv("PINGYI_NEW_PASSWORD", PASSWORD)
    runner = CliRunner()
    importers: dict[str, tuple[str, Callable[[Path], object]]] = {
        "ballots": (".csv", lambda p: ballots.import_csv(admin, "C1", p)),
        "roster": (".csv", lambda p: roster.import_roster(admin, p)),
        "roster_xlsx": (".xlsx", lambda p: roster.import_roster(admin, p)),
        "scheme": (".toml", lambda p: schemes.import_scheme(admin, p)),
    }
    verdicts: dict[tuple[str, str], tuple[str, str]] = {}
    work = tmp / "cases"
    work.mkdir()
    for n, case in enumerate(CORPUS):
        before = _state()
        if case.kind == "cli":
            result = runner.invoke(cli, [str(a) for a in case.data])   # type: ignore[union-attr]
            out = result.output
            verdict = ("accepted" if result.exit_code == 0 else
                       "crash" if "意外故障" in out or "Traceback" in out or result.exit_code == 70 else "refused",
                       out.strip().splitlines()[0] if out.strip() else "")
            open_database(url, migrate=False)     # the command closed the store it opened
        else:
            suffix, run = importers[case.kind]
            path = work / f"case{n}{suffix}"
            if case.kind == "roster_xlsx":
                from openpyxl import Workbook

                wb = Workbook()
                wb.active.append(["编号", "姓名", "单位", "职务", "类别", "分管领导"])
                wb.active.append(case.data)
                wb.save(path)
            elif isinstance(case.data, str) and case.name == "not UTF-8":
                path.write_bytes(case.data.encode("latin-1"))
            else:
                path.write_text(str(case.data), encoding="utf-8")
            try:
                run(path)
                verdict = ("accepted", "")
            except PingyiError as exc:
                verdict = ("refused", exc.message.replace(path.name, "FILE")
                           + "|" + "|".join(e.replace(path.name, "FILE") for e in exc.errors))
            except Exception as exc:  # noqa: BLE001 - a crash is what this test looks for
                verdict = ("crash", f"{exc.__class__.__name__}: {str(exc)[:200]}")
        assert _state() == before, f"{case.kind} {case.name}: something was stored ({verdict})"
        verdicts[(case.kind, case.name)] = verdict
    close_database()
    return verdicts


def test_every_bad_input_is_refused_alike_on_both_backends(tmp_path, monkeypatch):
    results: dict[str, dict[tuple[str, str], tuple[str, str]]] = {}
    (tmp_path / "s").mkdir()
    results["sqlite"] = _run_corpus(str(tmp_path / "corpus.db"), tmp_path / "s", monkeypatch)
    if not _PG_SKIP:
        url, schema = _pg_schema_url()
        try:
            (tmp_path / "p").mkdir()
            results["postgresql"] = _run_corpus(url, tmp_path / "p", monkeypatch)
        finally:
            from pingyi.db.connection import close_database

            close_database()
            _drop_schema(schema)
    for backend, verdicts in results.items():
        wrong = {k: v for k, v in verdicts.items() if v[0] != "refused"}
        assert not wrong, f"{backend}: not refused: {wrong}"
        vague = {k: v for k, v in verdicts.items() if "意外故障" in v[1] or not v[1].strip("|")}
        assert not vague, f"{backend}: no clear message: {vague}"
    if "postgresql" in results:
        differ = {k: (results["sqlite"][k], results["postgresql"][k]) for k in results["sqlite"]
                  if results["sqlite"][k] != results["postgresql"][k]}
        assert not differ, f"the backends disagree: {differ}"

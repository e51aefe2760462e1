"""Builders and readers shared by the report tests and benchmarks/reports.py."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def page_texts(path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def pdf_text(path) -> str:
    return "\n".join(page_texts(path))


def spec(groups: int = 2, trim: int = 1):
    from pingyi.rules.spec import Group, Indicator, Rules, SchemeSpec

    names = ["群众代表", "人大代表", "政协委员", "企业业主", "服务对象", "干部职工"]
    return SchemeSpec(
        name="合成方案", kind="shuangding",
        indicators=(Indicator("perf", "评绩", 500), Indicator("clean", "评廉", 500)),
        groups=tuple(Group(f"g{i}", names[i], Fraction(1, groups)) for i in range(groups)),
        rules=Rules(trim=trim, bottom_n=1, streak=2),
    )


def person_name(i: int) -> str:
    return f"张{i:05d}"


def synthetic_report(n: int, groups: int = 2, provisional: bool = False):
    """A closed room's TallyReport with ``n`` persons: scores fall by 0.07 per rank from 98.00,
    the last person is bottom; group g0 has 40 ballots per person, g1 only 2 (never broken out)."""
    from pingyi.rules.tally import BallotCounts, GroupResult, PersonResult
    from pingyi.voting.tally import TallyReport

    sp = spec(groups)
    results = []
    for i in range(1, n + 1):
        score = (Decimal("98.00") - Decimal("0.07") * (i - 1)).quantize(Decimal("0.01"))
        gr = {"g0": GroupResult(40, 38, score + Decimal("1.00"))}
        for k in range(1, groups):
            gr[f"g{k}"] = GroupResult(2 if k == 1 else 5, 2 if k == 1 else 3, score - Decimal("1.50"))
        results.append(PersonResult(f"P{i:05d}", person_name(i), f"单位{i % 17:02d}局", "股长", score, i,
                                    i == n, gr))
    counts = BallotCounts(120, 116, 3, 1)
    per = {g.key: BallotCounts(40, 38, 1, 1) for g in sp.groups}
    return TallyReport(
        room="RSYN1", title="合成测评会", status="open" if provisional else "closed", provisional=provisional,
        scheme=sp.name, spec=sp, spec_hash="a" * 64, frozen_hash="f" * 64, series="合成系列", round=3,
        counts=counts, group_counts=per, results=results, posts={r.person: r.post for r in results},
        tally_hash=None if provisional else "b" * 64, closed_at=None if provisional else "2026-03-01T09:30:00+00:00",
    )


def _mul(a: list[float], b: list[float]) -> list[float]:
    """PDF matrix product a × b (each [a b c d e f])."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def placed_text(path) -> list[list[tuple[float, float, str]]]:
    """Per page, the text runs as (x, y, text) in page coordinates (y up), read with a pypdf visitor."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(str(path)).pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                m = _mul(list(tm), list(cm))
                runs.append((round(m[4], 1), round(m[5], 1), text))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def filled_rects(path) -> list[list[tuple[tuple[float, ...], float, float, float, float]]]:
    """Per page, the filled rectangles as (fill rgb, x, y, width, height) in page coordinates."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    out = []
    reader = PdfReader(str(path))
    for page in reader.pages:
        rects = []
        ctm = [1.0, 0, 0, 1.0, 0, 0]
        fill: tuple[float, ...] = (0.0, 0.0, 0.0)
        stack: list = []
        pending: list = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append((ctm, fill))
            elif op == b"Q":
                ctm, fill = stack.pop()
            elif op == b"cm":
                ctm = _mul([float(v) for v in operands], ctm)
            elif op == b"rg":
                fill = tuple(round(float(v), 3) for v in operands)
            elif op == b"g":
                fill = (round(float(operands[0]), 3),) * 3
            elif op == b"re":
                x, y, w, h = (float(v) for v in operands)
                pending.append((x * ctm[0] + ctm[4], y * ctm[3] + ctm[5], w * ctm[0], h * ctm[3]))
            elif op in (b"f", b"f*", b"B", b"b"):
                rects += [(fill, *r) for r in pending]
                pending = []
            elif op in (b"S", b"n"):
                pending = []
        out.append(rects)
    return out

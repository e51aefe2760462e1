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

"""Chinese line-breaking (kinsoku) of every paragraph pingyi prints: no line starts with a closing mark
or ends with an opening one, lines fit their width except for one hanging mark, nothing is lost."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pingyi.common.linebreak import NO_END, NO_START, kinsoku_breaks

HANZI = "中国共产党纪律检查委员会评议考核整改预警通知"
# natural text: runs of characters, each followed by a closing mark or wrapped in an opening/closing pair
clause = st.tuples(st.text(alphabet=HANZI, min_size=1, max_size=8),
                   st.sampled_from(["", "，", "。", "；", "：", "、", "quote", "paren"]))


def _join(parts: list[tuple[str, str]]) -> str:
    out = []
    for run, mark in parts:
        if mark == "quote":
            out.append(f"“{run}”")
        elif mark == "paren":
            out.append(f"（{run}）")
        else:
            out.append(run + mark)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(clause, min_size=1, max_size=25), per_line=st.integers(min_value=6, max_value=30))
def test_breaks_keep_the_rules(parts: list[tuple[str, str]], per_line: int) -> None:
    text = _join(parts)
    starts = kinsoku_breaks(list(text), [1.0] * len(text), [float(per_line)])
    assert starts[0] == 0 and starts == sorted(set(starts))
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        assert line and len(line) <= per_line
        assert line[-1] not in NO_END, lines
        if i:
            assert line[0] not in NO_START, lines
        if i < len(lines) - 1:
            assert len(line) >= per_line - 3  # moved back a little, never far


def test_known_cases() -> None:
    text = "经查，王伟在“双定双评”中连续两次倒数第一，"
    # 8 per line: a plain greedy break would start a line with 「，」 or end one on 「“」
    starts = kinsoku_breaks(list(text), [1.0] * len(text), [8.0])
    lines = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert all(ln[0] not in NO_START for ln in lines[1:]), lines
    assert all(ln[-1] not in NO_END for ln in lines), lines
    assert "".join(lines) == text


def test_paragraphs_in_pdfs_follow_the_rules(tmp_path) -> None:
    """The reportlab paragraphs use the same breaks: a narrow body of commas and quotes reads back clean."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from pingyi.reports import base
    from tests.reports_util import page_texts

    st_ = base.styles()
    style = ParagraphStyle("t", parent=st_.body, fontSize=12, leading=18)
    text = "请你单位高度重视，认真查找问题根源，“制定切实可行的整改措施”，于2026年9月30日前完成整改。" * 6
    path = tmp_path / "p.pdf"
    SimpleDocTemplate(str(path)).build([base.paragraph(base.esc(text), style) for _ in range(3)])
    lines = [ln.strip() for ln in page_texts(path)[0].splitlines() if ln.strip()]
    assert len(lines) > 10
    for ln in lines:
        assert ln[0] not in NO_START and ln[-1] not in NO_END, ln


# a code, a path, an address: starts with a letter or digit
word = st.tuples(st.sampled_from("ARpg0129"), st.text(alphabet="ABCDEFGHpingy0123456789-.:/", max_size=7)).map("".join)
piece = st.one_of(clause.map(lambda c: _join([c])), word.map(lambda w: f" {w} "))


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(piece, min_size=1, max_size=25), width=st.integers(min_value=10, max_value=80))
def test_terminal_lines_keep_the_rules(pieces: list[str], width: int) -> None:
    """The screens' lines (terminal cells, a Chinese character two): each fits, none starts with a
    closing mark or ends on an opening one, a Latin word (a code, a path) is never split, nothing but
    spaces at the breaks is lost."""
    from pingyi.common.linebreak import cells, wrap_cells

    text = "".join(pieces).strip()
    lines = wrap_cells(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    words = {w for w in text.split(" ") if w.isascii() and w}
    for i, line in enumerate(lines):
        assert cells(line) <= width, lines
        if i:
            assert line[0] not in NO_START and not line.startswith(" "), lines
        if i < len(lines) - 1:
            assert line[-1] not in NO_END, lines
            if line.split(" ")[-1].isascii() and lines[i + 1].split(" ")[0].isascii():
                assert line.split(" ")[-1] in words or not line.split(" ")[-1], lines   # not half a word


def test_terminal_lines_known_case() -> None:
    from pingyi.common.linebreak import wrap_cells

    # 20 cells: a greedy fill would start the second line with 「。」
    text = "回车以选中的账号登录。或直接输入账号名 pingyi.db，R2603"
    assert wrap_cells(text, 20) == ["回车以选中的账号登", "录。或直接输入账号名", "pingyi.db，R2603"]
    assert wrap_cells("第一行\n\n第三行", 40) == ["第一行", "", "第三行"]


def test_terminal_lines_keep_a_number_with_its_word() -> None:
    """Textual breaks at any space: 「（6」 ending a line and 「分）」 starting the next, 「第 1 行第 10」 then
    「列：」. A number spaced from the Chinese word beside it stays with that word."""
    from pingyi.common.linebreak import wrap_cells

    # 33 cells: a break at the space would end the first line 「预警线（6」 (32 cells)
    assert wrap_cells("累计扣分 6 分，达到蓝色预警线（6 分）", 33) == ["累计扣分 6 分，达到蓝色预警线", "（6 分）"]
    # 24 cells: the greedy fill ends after 「第 10」
    assert wrap_cells("TOML 格式错误：第 1 行第 10 列：缺少引号", 24) == ["TOML 格式错误：第 1 行",
                                                                "第 10 列：缺少引号"]
    assert wrap_cells("共 12 张，R2603 已关闭", 12) == ["共 12 张，", "R2603 已关闭"]

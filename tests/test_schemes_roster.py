"""Scheme validation (§4) and roster import (CSV encodings, XLSX, upsert)."""
import pytest

from pingyi.common.errors import InputError
from pingyi.people import roster
from pingyi.voting import schemes
from tests.helpers import ROSTER, SCHEME, write


def test_contract_scheme_parses(tmp_path):
    from tests.conftest import DATA

    _, spec = schemes.read_file(DATA / "scheme.toml")
    assert [i.max for i in spec.indicators] == [500, 500]
    assert spec.grade_tenths("较好", spec.indicators[0]) == 425
    assert spec.group("人大代表").key == "npc"


@pytest.mark.parametrize("change, key", [
    (('max = 50\n[[indicator]]\nkey = "clean"', 'max = 40\n[[indicator]]\nkey = "clean"'), "indicator.max"),
    (("weight = 0.4", "weight = 0"), "group[2].weight"),
    (("weight = 0.4", "weight = -1"), "group[2].weight"),
    (('key = "npc"', 'key = "masses"'), "group[2]"),
    (('key = "perf"', 'key = "Perf!"'), "indicator[1].key"),
    (('"差" = 0.5', '"差" = 0.333'), "grades.差"),
    (("trim = 0", "trim = -1"), "rules.trim"),
    (("trim = 0", "trim = 1\nbogus = 2"), "rules.bogus"),
    (('kind = "shuangding"', 'kind = "other"'), "kind"),
    (('kind = "shuangding"', 'kind = ["shuangding"]'), "kind"),
    (("max = 50\n[[indicator]]", "max = 50.05\n[[indicator]]"), "indicator[1].max"),
])
def test_scheme_errors_name_the_key(tmp_path, change, key):
    text = SCHEME.format(name="坏方案", trim=0).replace(*change, 1)
    with pytest.raises(InputError) as exc:
        schemes.parse(text, "bad.toml")
    assert any(e.startswith(f"bad.toml：{key}") for e in exc.value.errors), exc.value.errors


def test_bad_scheme_stores_nothing(admin, tmp_path):
    p = write(tmp_path, "bad.toml", "name = 'x'\nkind = ")
    with pytest.raises(InputError, match="TOML"):
        schemes.import_scheme(admin, p)
    assert schemes.list_schemes() == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_roster_encodings(admin, tmp_path, encoding):
    s = roster.import_roster(admin, write(tmp_path, "r.csv", ROSTER, encoding))
    assert (s.added, s.new_units) == (4, 3)
    assert roster.get_person("A04").unit == "文化稽查大队"


def test_roster_english_headers_and_upsert(admin, tmp_path):
    roster.import_roster(admin, write(tmp_path, "r.csv", ROSTER))
    text = "code,name,unit,post\nA01,王伟,财政局,副局长\nA09,新人,新单位,科员\n"
    s = roster.import_roster(admin, write(tmp_path, "r2.csv", text))
    assert (s.added, s.updated, s.unchanged, s.new_units) == (1, 1, 0, 1)
    assert roster.get_person("A01").post == "副局长"
    assert roster.count_persons() == 5          # nobody deleted


def test_roster_xlsx(admin, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in ROSTER.strip().splitlines():
        ws.append(line.split(","))
    ws.append([1001, "数字编号", "财政局", "", "", ""])
    wb.save(tmp_path / "r.xlsx")
    s = roster.import_roster(admin, tmp_path / "r.xlsx")
    assert s.added == 5 and roster.get_person("1001").name == "数字编号"


@pytest.mark.parametrize("text, needle", [
    ("编号,姓名\nA01,王\n", "缺少列"),
    ("编号,姓名,单位\nA01,王,\n", "缺少单位"),
    ("编号,姓名,单位\nA01,王,甲\nA01,李,乙\n", "重复"),
])
def test_roster_errors_store_nothing(admin, tmp_path, text, needle):
    with pytest.raises(InputError) as exc:
        roster.import_roster(admin, write(tmp_path, "r.csv", text))
    assert needle in exc.value.message + " ".join(exc.value.errors)
    assert roster.count_persons() == 0


def test_roster_binary_garbage(admin, tmp_path):
    p = tmp_path / "r.xlsx"
    p.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="Excel"):
        roster.import_roster(admin, p)

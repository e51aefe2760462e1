"""The browser ballot's pure parts: voters and their caps and expiry, the
per-address slow-down, the rating form, form tokens, ballot codes without
look-alikes, LAN addresses, the QR code; and the `serve` command itself."""
from __future__ import annotations

import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD, make_admin
from tests.helpers import SCHEME
from tests.test_kiosk import FakeClock


def _spec():
    from pingyi.voting.schemes import parse

    return parse(SCHEME.format(name="方案", trim=0))


class P:
    def __init__(self, code: str, name: str):
        self.code, self.name = code, name


def _draft():
    from pingyi.voting.draft import Draft

    return Draft("CODE", "masses", [P("A01", "王伟"), P("A02", "李娜")], _spec())


# ---- codes ----------------------------------------------------------------------

def test_new_codes_leave_out_look_alikes_and_keep_40_bits():
    from pingyi.voting import codes

    assert not set(codes.ALPHABET) & set("0O1IL2Z5S8B")
    assert codes.LENGTH * math.log2(len(set(codes.ALPHABET))) >= 40
    for _ in range(200):
        c = codes.new_code()
        assert len(c) == codes.LENGTH and set(c) <= set(codes.ALPHABET)
        assert codes.normalise(codes.display(c).lower()) == c


@given(st.text(alphabet="23456789ABCDEFGHJKMNPQRSTUVWXYZ", min_size=10, max_size=10))
def test_codes_printed_with_the_first_alphabet_still_read(code):
    from pingyi.voting import codes

    assert codes.normalise(f" {code[:5].lower()}-{code[5:]} ") == code


def test_impossible_codes_are_refused():
    from pingyi.voting import codes

    for typed in ("", "ABCDE", "ABCDE-FGHJ0", "ABCDEFGHJKO", "ABCDEFGHJK1", "ABCDEFGHJKL"):
        assert codes.normalise(typed) is None, typed


# ---- voters -----------------------------------------------------------------------

def test_voters_are_capped_per_address_and_in_all():
    from pingyi.web.state import Full, Voters

    v = Voters(clock=FakeClock(), per_address=2, total=3)
    v.start("k1", "10.0.0.1", _draft())
    v.start("k2", "10.0.0.1", _draft())
    with pytest.raises(Full) as full:
        v.start("k3", "10.0.0.1", _draft())
    assert full.value.scope == "address"
    v.start("k1", "10.0.0.1", _draft())  # the same browser again replaces its own ballot
    v.start("k4", "10.0.0.2", _draft())
    with pytest.raises(Full) as full:
        v.start("k5", "10.0.0.3", _draft())
    assert full.value.scope == "total"
    v.finish("k4", "valid")  # a stored ballot frees its place and is remembered
    assert v.done("k4") == "valid" and v.get("k4") is None
    v.start("k5", "10.0.0.3", _draft())
    assert len(v) == 3


def test_voters_expire_when_idle_or_too_old_and_done_markers_fade():
    from pingyi.web.state import Voters

    clock = FakeClock()
    v = Voters(clock=clock, idle=100, lifetime=250, done_for=1000)
    v.start("a", "x", _draft())
    v.start("b", "x", _draft())
    clock.now += 90
    assert v.get("a") is not None  # touched: idle time starts again
    clock.now += 20
    assert v.get("b") is None and v.get("a") is not None
    clock.now += 90
    v.get("a")
    clock.now += 90  # 290 s old, though touched 90 s ago
    assert v.get("a") is None and len(v) == 0
    v.start("c", "x", _draft())
    v.finish("c", "blank")
    clock.now += 999
    assert v.done("c") == "blank"
    clock.now += 2
    v.sweep()
    assert v.done("c") is None


def test_throttle_per_address_uses_the_kiosk_words():
    from pingyi.web.state import Throttles

    clock = FakeClock()
    t = Throttles(clock=clock)
    assert t.refused("a", "票码无效：本会场没有这个票码。") == 0
    t.refused("a", "票码无效：本会场没有这个票码。")
    assert t.wait_words("a") is None
    assert t.refused("a", "这个票码已作废，请向会务人员领取新票码。") == 2
    assert t.wait_words("a") == "这个票码已作废，请向会务人员领取新票码。\n票码错误次数较多，请等待 3 秒后再输入。"
    assert t.wait_words("b") is None
    clock.now += 2
    assert t.wait_words("a") is None
    assert t.refused("a", "x") == 4
    t.accepted("a")
    assert t.wait_words("a") is None and t.of("a").failures == 0


def test_csrf_tokens_are_bound_to_the_browser_key():
    from pingyi.web import state

    secret = b"s" * 32
    token = state.csrf_token(secret, "key-1")
    assert state.csrf_ok(secret, "key-1", token)
    assert not state.csrf_ok(secret, "key-2", token)
    assert not state.csrf_ok(b"t" * 32, "key-1", token)
    assert not state.csrf_ok(secret, None, token) and not state.csrf_ok(secret, "key-1", None)


# ---- the rating form --------------------------------------------------------------

def _form(*pairs):
    from pingyi.web.state import FormData

    return FormData([("full", "1"), *pairs])


def test_rating_form_fills_the_draft_like_the_kiosk():
    from pingyi.web.state import read_rating

    d = _draft()
    assert read_rating(d, _form(("A01.perf", " ４２ "), ("A01.clean", "44,5"), ("grade.A02.perf", "好"),
                                ("A02.clean", ""), ("grade.A02.clean", "差")))
    assert d.cells == {"A01": ["42", "44.5"], "A02": ["好", "差"]}
    assert d.row("A01")[:2] == ("complete", [420, 445]) and d.row("A02")[:2] == ("complete", [500, 250])
    assert not read_rating(d, _form(("A01.perf", "42"), ("A01.clean", "44.5"), ("grade.A02.perf", "好"),
                                    ("grade.A02.clean", "差")))
    # a typed score beats a grade; an unknown grade is nothing; 弃权 clears the person
    read_rating(d, _form(("A01.perf", "30"), ("grade.A01.perf", "好"), ("grade.A01.clean", "优"),
                         ("A02.perf", "9"), ("abstain", "A02")))
    assert d.cells["A01"] == ["30", ""] and d.row("A01")[0] == "partial"
    assert d.abstain == {"A02"} and d.cells["A02"] == ["", ""]
    assert any("王伟" in p for p in d.problems())
    read_rating(d, _form(("A02.perf", "1")))  # a whole page: the box unticked ends 弃权, A01 left empty
    assert d.abstain == set() and d.row("A02")[0] == "partial" and d.row("A01")[0] == "empty"
    assert d.entries() == {"A01": None, "A02": None}
    assert [p[:3] for p in d.problems()] == ["李娜："]


def test_a_partial_save_touches_only_the_named_persons():
    from pingyi.web.state import FormData, read_rating

    d = _draft()
    read_rating(d, _form(("A01.perf", "40"), ("A01.clean", "40"), ("abstain", "A02")))
    read_rating(d, FormData([("A01.perf", "41")]))
    assert d.cells["A01"] == ["41", ""] and d.abstain == {"A02"}


@given(st.text(max_size=40))
def test_any_typed_value_is_bounded_and_never_breaks_the_draft(text):
    from pingyi.web.state import MAX_CELL, read_rating

    d = _draft()
    read_rating(d, _form(("A01.perf", text), ("A01.clean", "40")))
    assert len(d.cells["A01"][0]) <= MAX_CELL
    assert d.row("A01")[0] in ("complete", "partial", "bad")


def test_the_verdict_is_shared_with_the_kiosk():
    from pingyi.screens.kiosk import review

    from pingyi.voting import draft

    assert review.ballot_status is draft.ballot_status
    d = _draft()
    assert draft.ballot_status(d.spec, d) == ("blank", "全部弃权：本票将记为空白票。")


# ---- addresses and the QR code ----------------------------------------------------

def test_lan_addresses_prefer_private_ranges_and_skip_loopback():
    from pingyi.web import addresses

    assert addresses.rank(["127.0.0.1", "8.8.4.4", "169.254.1.2", "192.168.1.20", "10.1.2.3", "192.168.1.20",
                           "not an address"]) == ["192.168.1.20", "10.1.2.3", "8.8.4.4"]
    assert addresses.lan_addresses([lambda: ["127.0.0.1"], lambda: ["192.168.3.4"], lambda: ["10.0.0.9"]]) \
        == ["192.168.3.4"]
    assert addresses.lan_addresses([lambda: []]) == []
    assert addresses.serve_urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000/"]
    assert addresses.serve_urls("::1", 8000) == ["http://[::1]:8000/"]
    assert addresses.serve_urls("0.0.0.0", 9000, lan=["192.168.3.4"]) == [
        "http://192.168.3.4:9000/", "http://127.0.0.1:9000/"]
    assert addresses.default_vote_url(lan=["192.168.3.4"]) == "http://192.168.3.4:8000/"
    assert addresses.default_vote_url(lan=[]) is None
    found = addresses.lan_addresses()  # this machine, whatever it has: never loopback
    assert all(not a.startswith("127.") for a in found)


def test_qr_svg_is_a_square_of_modules():
    from pingyi.web.qr import qr_svg

    svg = qr_svg("http://192.168.1.10:8000/")
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    assert (size - 8 - 17) % 4 == 0  # version v has 4v + 17 modules, plus the quiet zone
    assert "style=" not in svg and svg.count("<path") == 1


# ---- the command --------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_command_listens_on_loopback_and_says_where(sqlite_db):
    from tests.web_support import make_web_room

    make_web_room(make_admin())
    port = _free_port()
    env = {**os.environ, "PINGYI_USER": "admin", "PINGYI_PASSWORD": PASSWORD}
    command = [sys.executable, "-c", "from pingyi.cli import main; main()", "--db", sqlite_db, "serve", "W1",
               "--port", str(port)]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any("Ctrl+C" in x for x in lines) and proc.poll() is None:
            time.sleep(0.05)
        out = "".join(lines)
        assert f"投票地址：http://127.0.0.1:{port}/" in out, (out, proc.poll())
        assert f"大屏（投影）页面：http://127.0.0.1:{port}/screen" in out and "只有本机可以访问" in out
        html = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "票码" in html and re.findall(r"https?://", html) == []
        listening = [c for c in _listeners(port)]
        assert listening and all(addr == "127.0.0.1" for addr in listening)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert "浏览器投票已停止" in "".join(lines)
    assert "Traceback" not in proc.stderr.read()


def _listeners(port: int) -> list[str]:
    """Local addresses listening on ``port`` (Linux /proc; elsewhere the bind address is trusted)."""
    try:
        with open("/proc/net/tcp") as table:
            rows = table.read().splitlines()[1:]
    except OSError:
        return ["127.0.0.1"]
    out = []
    for row in rows:
        local, state = row.split()[1], row.split()[3]
        ip_hex, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            out.append(socket.inet_ntoa(bytes.fromhex(ip_hex)[::-1]))
    return out


def test_serve_refuses_a_busy_port(sqlite_db, monkeypatch, capsys):
    from pingyi.cli import main
    from tests.web_support import make_web_room

    make_web_room(make_admin())
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit) as exc:
            main(["--db", sqlite_db, "--user", "admin", "serve", "W1", "--port", str(port)])
    assert exc.value.code != 0
    assert "端口可能已被占用" in capsys.readouterr().err


def test_code_slips_default_to_the_lan_address(sqlite_db, monkeypatch, capsys, tmp_path):
    from pingyi.cli import main
    from pingyi.web import addresses
    from tests.web_support import make_web_room

    make_web_room(make_admin())
    monkeypatch.setenv("PINGYI_PASSWORD", PASSWORD)
    monkeypatch.setattr(addresses, "PROBES", (lambda: ["192.168.7.8"],))
    with pytest.raises(SystemExit) as exc:
        main(["--db", sqlite_db, "--user", "admin", "room", "codes", "W1", "--pdf", str(tmp_path / "s.pdf")])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "票码条上的投票地址：http://192.168.7.8:8000/" in out
    from pypdf import PdfReader

    assert "http://192.168.7.8:8000/" in PdfReader(tmp_path / "s.pdf").pages[0].extract_text()
    with pytest.raises(SystemExit):
        main(["--db", sqlite_db, "--user", "admin", "room", "codes", "W1", "--pdf", str(tmp_path / "t.pdf"),
              "--url", "http://pingyi.lan/"])
    assert "http://pingyi.lan/" in PdfReader(tmp_path / "t.pdf").pages[0].extract_text()

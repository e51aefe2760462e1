"""First screen against a bare Textual app, as whole processes (issue 14).

Each run is a fresh interpreter that shows its first screen headless at 80×24;
it is timed from spawning the interpreter to the first frame of that screen
handed to the display, then exits:

- bare: an App whose only widget is one Static;
- pingyi: ``pingyi --db FILE`` exactly as a user starts it: the installed
  console script, run with the benchmark's hook (the login screen; the
  database is opened after the first paint).

Runs alternate (bare, pingyi, bare, …) so that load from other work on the
machine falls on both sides; bytecode is compiled first for both. Reports
medians and the ratio, with the load average.

    python benchmarks/first_screen.py [--runs 9]
"""
from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Both sides run Textual headless; the first frame the compositor hands to the
# display (what a terminal would paint) is timed and the app exits.
HOOK = r"""
import os, time
import textual.app as _ta
_run, _display = _ta.App.run, _ta.App._display
def _first_frame(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and not self._batch_count and not getattr(self, "_painted", False):
        self._painted = True
        print("PAINTED", time.time() - float(os.environ["BENCH_T0"]), type(screen).__name__, flush=True)
        self.exit()
def _headless_run(self, *a, **kw):
    kw.update(headless=True, size=(80, 24))
    return _run(self, *a, **kw)
_ta.App._display, _ta.App.run = _first_frame, _headless_run
"""

BARE = HOOK + r"""
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("评议系统  登录")
Bare().run()
"""

# The installed console script itself (argv[1]), run as ``pingyi --db FILE``.
PINGYI = HOOK + r"""
import sys
script = sys.argv[1]
sys.argv = [script, "--db", sys.argv[2]]
with open(script, encoding="utf-8") as f:
    code = compile(f.read(), script, "exec")
exec(code, {"__name__": "__main__", "__file__": script})
"""


def once(code: str, *args: str, python: str = sys.executable) -> float:
    """Seconds from spawning the interpreter to the first screen painted."""
    env = {**os.environ, "PINGYI_USER": "", "BENCH_T0": repr(time.time())}
    res = subprocess.run([python, "-c", code, *args], check=True, capture_output=True, text=True, env=env,
                         cwd=tempfile.gettempdir())  # not a checkout: each interpreter imports its own pingyi
    line = next(ln for ln in res.stdout.splitlines() if ln.startswith("PAINTED"))
    return float(line.split()[1])


def compile_both() -> None:
    import textual

    import pingyi

    for pkg in (textual, pingyi):
        compileall.compile_dir(str(Path(pkg.__file__).parent), quiet=1)
    tree = Path(pingyi.__file__).resolve().parent.parent
    if (tree / "screens" / "app.py").is_file():  # a checkout (editable install): db/ and screens/ beside pingyi/
        compileall.compile_dir(str(tree / "screens"), quiet=1)
        compileall.compile_dir(str(tree / "db"), quiet=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--compare", metavar="PYTHON",
                    help="also time pingyi under this interpreter (e.g. a venv of an older checkout), alternating")
    args = ap.parse_args()
    compile_both()
    if args.compare:
        subprocess.run([args.compare, "-c", "import compileall, pathlib, pingyi, pingyi.db, pingyi.screens\n"
                        "for m in (pingyi, pingyi.db, pingyi.screens):\n"
                        "    compileall.compile_dir(str(pathlib.Path(m.__file__).parent), quiet=1)"],
                       check=True, cwd=tempfile.gettempdir())
    script = str(Path(sys.executable).with_name("pingyi"))
    other_script = str(Path(args.compare).with_name("pingyi")) if args.compare else ""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "first.db")
        subprocess.run([str(Path(sys.executable).with_name("pingyi")), "--db", db, "init", "--admin", "admin"],
                       env={**os.environ, "PINGYI_PASSWORD": "bench-pass-123"}, check=True,
                       stdout=subprocess.DEVNULL)
        other_db = str(Path(tmp) / "other.db")
        if args.compare:  # its own database: an older pingyi refuses a newer schema
            subprocess.run([str(Path(args.compare).with_name("pingyi")), "--db", other_db, "init", "--admin", "admin"],
                           env={**os.environ, "PINGYI_PASSWORD": "bench-pass-123"}, check=True,
                           stdout=subprocess.DEVNULL, cwd=tmp)
        once(BARE), once(PINGYI, script, db)  # warm the page cache
        load = os.getloadavg()
        bare, app, other = [], [], []
        for _ in range(args.runs):
            bare.append(once(BARE))
            app.append(once(PINGYI, script, db))
            if args.compare:
                other.append(once(PINGYI, other_script, other_db, python=args.compare))
        load_after = os.getloadavg()
    b, a = statistics.median(bare), statistics.median(app)
    print(f"first screen, {args.runs} alternating runs each, load average {load[0]:.2f} → {load_after[0]:.2f}")
    print(f"bare Textual app, one Static : median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"pingyi, login screen         : median {a * 1000:.0f} ms (min {min(app) * 1000:.0f})")
    print(f"ratio {a / b:.2f}× (goal ≤ 1.5×)")
    if other:
        o = statistics.median(other)
        print(f"pingyi under {args.compare}: median {o * 1000:.0f} ms (min {min(other) * 1000:.0f}), "
              f"ratio {o / b:.2f}×")


if __name__ == "__main__":
    main()

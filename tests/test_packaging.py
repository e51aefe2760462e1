"""A normal `pip install .` carries every file the program reads: each non-Python file under the
package folders is named by a package-data pattern of its package (an editable install hides a miss)."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_package_data():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    dirs = {pkg: ROOT / folder for pkg, folder in tool["package-dir"].items()}
    data = tool["package-data"]
    missing = []
    for pkg in tool["packages"]:
        top = next(p for p in sorted(dirs, key=len, reverse=True) if pkg == p or pkg.startswith(p + "."))
        folder = dirs[top].joinpath(*pkg[len(top):].strip(".").split(".")) if pkg != top else dirs[top]
        patterns = data.get(pkg, [])
        for f in folder.rglob("*"):
            if not f.is_file() or f.suffix in (".py", ".pyc") or "__pycache__" in f.parts:
                continue
            rel = f.relative_to(folder).as_posix()
            owner = rel.split("/")[0]
            if (folder / owner / "__init__.py").exists():
                continue  # belongs to a subpackage, checked there
            if not any(fnmatch.fnmatch(rel, pat) for pat in patterns):
                missing.append(f"{pkg}: {rel}")
    assert missing == []


def test_only_pingyi_is_installed():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert {p.split(".")[0] for p in tool["packages"]} == {"pingyi"}


def test_every_subpackage_is_listed():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = set()
    for pkg, folder in tool["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((pkg, *rel)))
    assert found <= set(tool["packages"]), sorted(found - set(tool["packages"]))

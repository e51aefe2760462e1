"""pingyi 评议 — domain, services, CLI and reports.

Nothing in this package imports Textual; heavy libraries (reportlab,
openpyxl) load only inside the functions that need them.

Layout: ``rules`` (pure tally, streak, ledger and index arithmetic),
``common`` (errors, clock, formatting), ``people`` (accounts, roster),
``voting`` (scheme to frozen result), ``proposals`` (the inbox voting and the
desk both feed), ``desk`` (policy, ledger, warnings, integrity, talks),
``records`` (audit, backup), ``reports`` (PDFs, year-end), ``web`` (browser
front end), ``cli``; ``db`` and ``screens`` are installed as subpackages.
"""
import os as _os

__version__ = "0.1.0"

# In the source tree db/ and screens/ sit beside pingyi/ (the design card's layout) and
# pyproject's package-dir installs them as pingyi.db and pingyi.screens. When this package is
# imported straight from the tree (the repository root on sys.path, as under pytest), let
# those two subpackages resolve from the tree as well.
_here = _os.path.dirname(_os.path.abspath(__file__))
_tree = _os.path.dirname(_here)
if not _os.path.isdir(_os.path.join(_here, "db")) and _os.path.isfile(_os.path.join(_tree, "db", "__init__.py")):
    __path__.append(_tree)  # noqa: F821 - the package's own search path

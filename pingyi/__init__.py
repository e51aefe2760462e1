"""pingyi 评议 — domain, services, CLI and reports.

Nothing in this package imports Textual; heavy libraries (reportlab,
openpyxl) load only inside the functions that need them.
"""
__version__ = "0.1.0"

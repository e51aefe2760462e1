"""PDF reports (reportlab, imported only here). Report code takes plain data
from services and never queries the database itself."""

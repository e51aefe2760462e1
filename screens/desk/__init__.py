"""Warnings desk (纪委): proposals inbox → draft form → approval queue (who
drafted) → notice PDF → rectification with deadlines and overdue rows
highlighted; the ledger per target with its level; the integrity index and
the talks due. Every service call runs in a worker (screens.work.request, one typed message per result)."""

"""Text from users and files is data, never markup (DESIGN §11).

Textual reads a plain ``str`` as content markup almost everywhere: a DataTable
cell, a Static, a Label, a toast, a border title, an option prompt. A roster
name ``闭合[/]`` then crashes the screen with a MarkupError, and
``[@click=app.quit]…`` becomes a live link. Every screen shows stored or typed
text through this module:

- :func:`literal` — a ``rich.text.Text`` that shows the value as typed (for
  cells, Static/Label updates, border titles, option prompts);
- :func:`styled` — code-owned markup with values slotted in literally
  (``styled("[b]$title[/b]", title=room.title)``);
- :class:`LiteralTable` — a DataTable whose ``str`` cells are literal;
- :class:`LiteralStatic` — a Static whose ``str`` updates are literal;
- :class:`Prose` — a literal Static whose Chinese lines break by the rules of
  ``pingyi.common.linebreak`` at whatever width it is drawn (Textual wraps by
  cell, so a line may start with 「。」);
- the apps render every toast literally (``PingyiApp.notify``), so
  ``notify(f"…{name}…")`` is safe everywhere.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellType, ColumnKey, RowKey


class Literal(Text):
    """Rich Text holding typed text that behaves like the ``str`` it shows: a
    cell read back from a table compares, sorts and hashes as the value put in."""

    @staticmethod
    def _key(other: object) -> str | None:
        return other.plain if isinstance(other, Text) else other if isinstance(other, str) else None

    def __eq__(self, other: object) -> bool:
        key = self._key(other)
        return NotImplemented if key is None else self.plain == key

    def __lt__(self, other: object) -> bool:
        key = self._key(other)
        return NotImplemented if key is None else self.plain < key

    def __gt__(self, other: object) -> bool:
        key = self._key(other)
        return NotImplemented if key is None else self.plain > key

    def __le__(self, other: object) -> bool:
        return not self > other

    def __ge__(self, other: object) -> bool:
        return not self < other

    def __hash__(self) -> int:
        return hash(self.plain)


def literal(value: object, *, justify: str | None = None, style: str = "") -> Text:
    """``value`` as it was typed: never parsed as markup; None shows as empty."""
    if isinstance(value, Text):
        return value
    text = "" if value is None else str(value)
    return Literal(text, style=style, justify=justify, end="")  # type: ignore[arg-type]


def literal_cells(row: Iterable[object]) -> list[Any]:
    """A table row with every ``str`` cell literal (Text and numbers are left as they are)."""
    return [literal(c) if isinstance(c, str) else c for c in row]


def styled(template: str, **values: object) -> Content:
    """Code-owned markup ``template`` with ``$name`` slots filled by ``values`` literally."""
    return Content.from_markup(template, **{k: ("" if v is None else str(v)) for k, v in values.items()})


class LiteralTable(DataTable):  # type: ignore[type-arg]
    """A DataTable whose string cells are shown as typed, never as markup."""

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*literal_cells(cells), height=height, key=key,
                               label=literal(label) if isinstance(label, str) else label)

    def add_column(self, label: Any, *, width: int | None = None, key: str | None = None,
                   default: CellType | None = None) -> ColumnKey:
        return super().add_column(literal(label) if isinstance(label, str) else label, width=width, key=key,
                                  default=default)

    def add_rows(self, rows: Iterable[Iterable[CellType]]) -> list[RowKey]:
        return super().add_rows([literal_cells(r) for r in rows])

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType, *,
                    update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, literal(value) if isinstance(value, str) else value,
                            update_width=update_width)

    def update_cell_at(self, coordinate: Any, value: CellType, *, update_width: bool = False) -> None:
        super().update_cell_at(coordinate, literal(value) if isinstance(value, str) else value,
                               update_width=update_width)


class LiteralStatic(Static):
    """A Static for stored or typed text: strings are never parsed as markup."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(content, **kwargs)


def options(pairs: Sequence[tuple[object, Any]]) -> list[tuple[Text, Any]]:
    """Select / SelectionList (prompt, value) pairs with literal prompts."""
    return [(literal(prompt), value) for prompt, value in pairs]


class ChineseText(Visual):
    """Plain text (never markup) broken into lines by the Chinese line-breaking rules at the width
    it is drawn in, then drawn as Textual draws text (styles, alignment)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._plain = Content(text)
        self._at: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return self.text

    def lines(self, width: int) -> Content:
        from pingyi.common.linebreak import wrap_cells

        if self._at is None or self._at[0] != width:
            self._at = (width, Content("\n".join(wrap_cells(self.text, width))))
        return self._at[1]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        pad = int(options.rules.get("line_pad", 0)) * 2
        return self.lines(width - pad).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._plain.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self._plain.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        pad = int(rules.get("line_pad", 0)) * 2
        return self.lines(width - pad).get_height(rules, width)


class Prose(Static):
    """A Static for Chinese sentences (hints, messages): shown as typed, never as markup, and no
    line starts with a closing mark (「，」「。」「）」…) at any width."""

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(ChineseText(text), **kwargs)

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(ChineseText(content) if isinstance(content, str) else content, layout=layout)

"""Small pieces the scenario widgets share: Markdown in an Output, plain-words HTML, headings."""

from __future__ import annotations

import html
import re

import ipywidgets as w

_CODE = re.compile(r"`([^`]+)`")


def classed(widget: w.DOMWidget, *classes: str) -> w.DOMWidget:
    """`widget` with CSS classes added (stable selectors for browser tests)."""
    for name in classes:
        widget.add_class(name)
    return widget


def show_markdown(out: w.Output, text: str) -> None:
    """Replace what `out` shows with `text` rendered as Markdown (Mermaid blocks included).

    The outputs are set in one assignment, so this works from a background thread and without a
    kernel (in plain Python, `with out: display(...)` is not captured)."""
    out.outputs = (
        {
            "output_type": "display_data",
            "data": {"text/markdown": text, "text/plain": text},
            "metadata": {},
        },
    )


def markdown_text(out: w.Output) -> str:
    """The Markdown an Output made by `show_markdown` shows ("" when it is empty)."""
    return "\n".join(o.get("data", {}).get("text/markdown", "") for o in out.outputs)


def markdown_output(text: str = "", *classes: str) -> w.Output:
    out = classed(w.Output(), *classes)
    if text:
        show_markdown(out, text)
    return out


def plain_html(text: str) -> str:
    """Text for an HTML widget: escaped, with `names` in code font and line breaks kept."""
    escaped = html.escape(text.strip())
    return _CODE.sub(r"<code>\1</code>", escaped).replace("\n", "<br>")


def plain_text(text: str) -> str:
    """Text for a widget that shows no markup (a radio button, a dropdown, a checkbox):
    `names` lose their backticks, since nothing would put them in code font."""
    return _CODE.sub(r"\1", text.strip())


def heading(text: str, level: int = 3) -> w.HTML:
    return w.HTML(f"<h{level} style='margin:0.6em 0 0.2em'>{html.escape(text)}</h{level}>")


class ShownAsWidget:
    """An app that a cell shows as its root widget, `self.widget`, when it evaluates the app."""

    widget: w.Widget

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

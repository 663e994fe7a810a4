"""The Mesh Council's printable materials for a room: role sheets, the architect's handbook,
table cards with each seat's code, and the facilitator's run sheet.

`write_materials` writes each as a self-contained HTML file (inline CSS, no scripts, nothing
fetched) and prints it to a PDF of the same name with headless chromium. Without chromium it
writes the HTML only and says how to get the PDFs. Each table on the cards is opened with
`open_council`, so its seat codes are the ones players type; printing again gives the same codes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..errors import KitError
from ..mesh.layout import load_mesh
from .game import Game, load_game
from .materials_html import TableCards, handbook, role_sheets, table_cards
from .materials_run_sheet import run_sheet
from .state import open_council

DOCUMENTS = ("role-sheets", "handbook", "table-cards", "run-sheet")
MAX_TABLES = 50
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_APPS = (
    Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),
    Path("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
)
PRINT_SECONDS = 120
PRINTING_AT_ONCE = 2
NO_CHROMIUM = (
    "The HTML files are written, but the PDFs need chromium, which is not installed here. "
    "Install it (`apt-get install chromium`) and run this again, or open the HTML files in a "
    "browser and print them to PDF (A4, no headers and footers)."
)


class MaterialsError(KitError):
    """The printable materials cannot be written as asked."""


@dataclass(frozen=True)
class Materials:
    """What `write_materials` wrote: the HTML files, the PDFs (none without chromium), and a
    warning when the PDFs could not be printed."""

    folder: Path
    variant: str
    minutes: int
    tables: int
    html: tuple[Path, ...]
    pdfs: tuple[Path, ...]
    warning: str | None = None

    def summary(self) -> str:
        count = f"{self.tables} table" if self.tables == 1 else f"{self.tables} tables"
        kinds = "HTML and PDF" if self.pdfs else "HTML"
        lines = [
            f"The Mesh Council's printable materials ({kinds}) for {count}, "
            f"{self.variant} agenda ({self.minutes} minutes), are in {self.folder}:"
        ]
        pdfs = {p.stem for p in self.pdfs}
        for path in self.html:
            lines.append(
                f"  {path.stem}.html" + (f"  {path.stem}.pdf" if path.stem in pdfs else "")
            )
        lines.append("Print the role sheets double-sided: each seat's secrets are on the back.")
        return "\n".join(lines)


def write_materials(
    out: Path | str,
    tables: int = 1,
    variant: str = "short",
    game: Game | None = None,
    chromium: Path | None = None,
) -> Materials:
    """Write the four documents into `out` as HTML and, with chromium (found if not given), as
    PDF. Opens the council tables "Table 1" to "Table `tables`" for their seat codes."""
    if isinstance(tables, bool) or not isinstance(tables, int) or not 1 <= tables <= MAX_TABLES:
        raise MaterialsError(
            f"The materials are printed for 1 to {MAX_TABLES} tables, not `{tables}`.",
            "Give the number of tables in the room, for example 3.",
        )
    folder = Path(out).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise MaterialsError(
            f"`{folder}` is a file, not a folder.", "Give a folder for the materials to go in."
        )
    game = game or load_game()
    agenda = game.agenda(variant)
    names = [f"Table {number}" for number in range(1, tables + 1)]
    cards = [TableCards(name, open_council(name)) for name in names]
    texts = {
        "role-sheets": role_sheets(game),
        "handbook": handbook(game, agenda, load_mesh()),
        "table-cards": table_cards(game, cards),
        "run-sheet": run_sheet(game, agenda, tables),
    }
    folder.mkdir(parents=True, exist_ok=True)
    html_files = []
    for name in DOCUMENTS:
        path = folder / f"{name}.html"
        path.write_text(texts[name], encoding="utf-8")
        html_files.append(path)
    browser = chromium or find_chromium()
    if browser is None:
        pdfs: tuple[Path, ...] = ()
        warning: str | None = NO_CHROMIUM
    else:
        pdfs, warning = print_pdfs(browser, html_files), None
    return Materials(folder, variant, agenda.minutes, tables, tuple(html_files), pdfs, warning)


def find_chromium() -> Path | None:
    """Debian's chromium, else a chromium or Chrome on the PATH or in macOS's Applications."""
    if CHROMIUM.is_file():
        return CHROMIUM
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((app for app in CHROMIUM_APPS if app.is_file()), None)


def print_pdfs(chromium: Path, html_files: list[Path]) -> tuple[Path, ...]:
    """Print each HTML file to a PDF beside it, two at a time."""
    with ThreadPoolExecutor(PRINTING_AT_ONCE) as pool:
        return tuple(pool.map(partial(print_pdf, chromium), html_files))


def print_pdf(chromium: Path, html_file: Path) -> Path:
    """One HTML file printed to `<name>.pdf` beside it by headless chromium, in a profile of its
    own that is removed afterwards (so nothing is left in the home folder)."""
    pdf = html_file.with_suffix(".pdf")
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="mesh-workshop-print-") as home:
        command = [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={home}",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ]
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                errors="replace",
                env=env,
                timeout=PRINT_SECONDS,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise MaterialsError(
                f"chromium took more than {PRINT_SECONDS} seconds to print `{html_file.name}`.",
                f"The HTML files are in `{html_file.parent}`: try again, or open them in a "
                "browser and print them to PDF.",
            ) from None
        except OSError as exc:
            raise MaterialsError(
                f"chromium (`{chromium}`) could not be started: {exc}.", NO_CHROMIUM
            ) from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        said = "\n".join(done.stderr.strip().splitlines()[-3:])
        raise MaterialsError(
            f"chromium could not print `{html_file.name}` (exit code {done.returncode}): {said}",
            f"The HTML files are in `{html_file.parent}`: open them in a browser and print them "
            "to PDF (A4, no headers and footers).",
        )
    return pdf

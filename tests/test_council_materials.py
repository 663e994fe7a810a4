"""The Mesh Council's printable materials: `mesh-workshop council materials` writes the role
sheets, the architect's handbook, the table cards and the facilitator's run sheet as
self-contained HTML and as PDFs printed by headless chromium, and nothing anywhere else but the
tables' own council folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from mesh_workshop.cli import main
from mesh_workshop.council import load_game
from mesh_workshop.council import materials as materials_module
from mesh_workshop.council.materials import (
    DOCUMENTS,
    NO_CHROMIUM,
    MaterialsError,
    write_materials,
)
from mesh_workshop.council.state import open_council
from mesh_workshop.paths import WORKSHOP_ENV, WORKSPACE_ENV


def _text(value: str) -> str:
    """Text as a PDF reader or a test compares it: every run of white space one space."""
    return " ".join(value.split())


def _pages(pdf: Path) -> list[str]:
    return [_text(page.extract_text()) for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict:
    """The command run once, as a room would run it, in a folder of its own."""
    root = tmp_path_factory.mktemp("materials")
    env = {
        **os.environ,
        WORKSPACE_ENV: str(root / "build"),
        WORKSHOP_ENV: str(root / "workshop"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "mesh_workshop.cli", "council", "materials", "--out", "printed"],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=600,
    )
    return {"root": root, "out": root / "printed", "done": done, "env": env}


@pytest.fixture
def room(tmp_path, monkeypatch) -> Path:
    """A workshop folder of this test's own, and no chromium: the HTML only."""
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "build"))
    monkeypatch.setenv(WORKSHOP_ENV, str(tmp_path / "workshop"))
    monkeypatch.setattr(materials_module, "find_chromium", lambda: None)
    return tmp_path


@pytest.mark.browser
def test_the_command_writes_four_html_files_and_four_pdfs_and_nothing_else(printed):
    done, root = printed["done"], printed["root"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stderr
    assert str(printed["out"]) in done.stdout
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    outside = [p for p in written if not p.startswith("workshop/councils/table_1/")]
    assert outside == sorted(
        f"printed/{name}.{kind}" for name in DOCUMENTS for kind in ("html", "pdf")
    )
    for name in DOCUMENTS:
        assert (printed["out"] / f"{name}.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.browser
def test_each_role_sheet_keeps_its_secrets_on_the_page_after_its_public_side(printed):
    game = load_game()
    pages = _pages(printed["out"] / "role-sheets.pdf")
    assert len(pages) == 2 * len(game.seats)
    everything = " ".join(pages)
    for seat in game.seats:
        assert _text(seat.title) in everything
        public = next(i for i, page in enumerate(pages) if _text(seat.public.about) in page)
        secret = next(
            i for i, page in enumerate(pages) if f"Secret: for seat {seat.number} only" in page
        )
        assert secret == public + 1, (
            f"seat {seat.number}: secrets on page {secret + 1}, public side on {public + 1}"
        )
        assert _text(seat.public.priority) in pages[public]
        for mission in game.missions_of(seat):
            assert _text(mission.says) in pages[secret]
            assert _text(mission.says) not in pages[public], "a secret on the public side"
    # Who decides each mission is printed under it.
    first_secret = pages[1]
    assert first_secret.count("Your table judges this.") == 2
    moderator = pages[2 * 10 - 1]
    assert "The kit checks this against your council's recorded vote." in moderator
    assert "The kit checks this against your council's final mesh." in moderator


@pytest.mark.browser
def test_the_table_cards_carry_the_codes_the_table_was_opened_with(printed, monkeypatch):
    for key in (WORKSPACE_ENV, WORKSHOP_ENV):
        monkeypatch.setenv(key, printed["env"][key])
    codes = open_council("Table 1")  # opening it again returns the same codes
    game = load_game()
    text = " ".join(_pages(printed["out"] / "table-cards.pdf"))
    assert "Table 1" in text
    assert len(set(codes.values())) == 10
    for seat in game.seats:
        team = game.team(seat.team).name
        card = f"Table 1 · Seat {seat.number} {_text(seat.title)} {team} seat code: {codes[seat.number]}"
        assert card in text


@pytest.mark.browser
def test_the_run_sheet_walks_the_seven_phases_in_order(printed):
    game = load_game()
    text = " ".join(_pages(printed["out"] / "run-sheet.pdf"))
    places = [
        text.index(f"{n}. {_text(p.title)}") for n, p in enumerate(game.agenda("short").phases, 1)
    ]
    assert len(places) == 7 and places == sorted(places)
    assert "Who moderates" in text and "seat 9, Head of Data" in text
    assert "Tables of fewer than ten people" in text
    for step in ("1. The vote", "2. Presentations", "3. The reveal"):
        assert step in text


def test_the_html_is_self_contained_and_prints_on_a4(room):
    materials = write_materials(room / "out", tables=2, variant="long")
    assert [p.name for p in materials.html] == [f"{name}.html" for name in DOCUMENTS]
    for path in materials.html:
        page = path.read_text(encoding="utf-8")
        assert "<script" not in page.lower()
        assert "http://" not in page and "https://" not in page
        assert "<link" not in page and "<img" not in page and "@import" not in page
        assert "size: A4" in page and "break-before: page" in page
    handbook = (room / "out" / "handbook.html").read_text(encoding="utf-8")
    assert "<svg" in handbook and "data_platform" in handbook
    assert "An afternoon" in handbook


def test_without_chromium_the_html_is_written_and_the_command_says_how_to_get_pdfs(room, capsys):
    assert main(["council", "materials", "--out", str(room / "out")]) == 0
    captured = capsys.readouterr()
    assert "apt-get install chromium" in captured.err
    assert sorted(p.name for p in (room / "out").iterdir()) == sorted(
        f"{n}.html" for n in DOCUMENTS
    )
    assert write_materials(room / "out").warning == NO_CHROMIUM


def test_printing_again_gives_the_same_seat_codes(room):
    write_materials(room / "first")
    write_materials(room / "again")
    first = (room / "first" / "table-cards.html").read_text(encoding="utf-8")
    assert first == (room / "again" / "table-cards.html").read_text(encoding="utf-8")
    for code in open_council("Table 1").values():
        assert f"<b>{code}</b>" in first


def test_strings_from_the_game_are_escaped_and_its_markdown_renders_without_raw_html(room):
    game = load_game()
    seats = sorted(game.seats, key=lambda s: s.number)
    changed = game.model_copy(
        update={
            "seats": [seats[0].model_copy(update={"title": "<i>Boss</i> & Co"}), *seats[1:]],
            "handbook": game.handbook.model_copy(
                update={"history": "**Bold** start.\n\n<script>alert(1)</script>\n"}
            ),
        }
    )
    write_materials(room / "out", game=changed)
    sheets = (room / "out" / "role-sheets.html").read_text(encoding="utf-8")
    assert "&lt;i&gt;Boss&lt;/i&gt; &amp; Co" in sheets and "<i>Boss</i>" not in sheets
    handbook = (room / "out" / "handbook.html").read_text(encoding="utf-8")
    assert "<strong>Bold</strong>" in handbook
    assert "<script" not in handbook and "&lt;script&gt;" in handbook


def test_a_number_of_tables_outside_one_to_fifty_is_refused(room, capsys):
    with pytest.raises(MaterialsError, match="not `0`"):
        write_materials(room / "out", tables=0)
    assert main(["council", "materials", "--out", str(room / "out"), "--tables", "51"]) == 2
    assert "1 to 50 tables" in capsys.readouterr().err
    assert not (room / "out").exists()


def test_a_chromium_that_cannot_print_is_reported_with_where_the_html_is(room):
    with pytest.raises(MaterialsError, match="could not print `role-sheets.html`") as failed:
        write_materials(room / "out", chromium=Path("/bin/false"))
    assert str((room / "out").resolve()) in failed.value.hint
    assert (room / "out" / "run-sheet.html").is_file()
    assert not list((room / "out").glob("*.pdf"))

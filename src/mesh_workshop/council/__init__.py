"""The Mesh Council: the role-playing game's data (teams, seats, missions, handbook, agendas)."""

from .game import (
    CHECK_KINDS,
    PHASES,
    Agenda,
    CouncilError,
    Game,
    Mission,
    Phase,
    PlayersPlan,
    Seat,
    Team,
    council_dir,
    load_game,
)

__all__ = [
    "CHECK_KINDS",
    "PHASES",
    "Agenda",
    "CouncilError",
    "Game",
    "Mission",
    "Phase",
    "PlayersPlan",
    "Seat",
    "Team",
    "council_dir",
    "load_game",
]

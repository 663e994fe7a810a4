# %% [markdown]
# # Start here
#
# Welcome to Rainbow Road, a pet rescue that grew from a few volunteers with a van into a national
# adoption network. Its data team has just split one overgrown dbt project into a *mesh* of four
# projects, each owned by a different team. Today your group sits at the table where the hard
# questions land: who may read whose models, what happens when one team changes a model another
# team relies on, and when a project should split or merge.
#
# You do not need to know dbt. Every notebook explains what you need as you go, and every decision
# you make is checked by building the real projects with real dbt.
#
# This notebook takes five minutes:
#
# 1. check that this laptop has everything the workshop needs,
# 2. tell the kit who your group is,
# 3. read how the session runs and which notebook comes when,
# 4. meet the discussion timer.
#
# **How to run it:** click into the first code cell and press **Shift + Enter** to run a cell and move
# to the next one, or choose **Run > Run All Cells**.

# %%
from IPython.display import display

from mesh_workshop.api import kit
from mesh_workshop.paths import WORKSHOP_ENV
from mesh_workshop.widgets import start

# %% [markdown]
# ## 1. Check the set-up
#
# Each line says `OK` or `TO DO`, and a `TO DO` line says what to do about it. The software comes
# first (Python, dbt with its DuckDB adapter, the dbt-loom plugin that lets projects read each
# other, and DuckDB, the small database that lives in a file on this laptop), then the raw data, then
# the two things the kit builds: the legacy project and the mesh.

# %%
checks = start.setup_checks()
print(start.report(checks))

# %% [markdown]
# If the legacy project or the mesh is not built yet, the next cell builds it. `make lab` already
# started that build in the background when it opened JupyterLab, so the cell usually just shows
# how far it has got and waits for the rest: the first time takes a minute or two, as dbt builds
# every model and runs every test of five projects (the legacy one and the four of the mesh).
# After that it has nothing to do and finishes at once.

# %%
checks = start.build_what_is_missing()
print()
print(start.report(checks))

# %% [markdown]
# ## 2. Your group
#
# Give your group a name the facilitator can call out ("Table 4", "The Beagles") and write down who
# is in it. The scenario notebooks save your decisions under this name, and the facilitator's
# debrief shows every group's answers side by side, so pick a name you are happy to see on the big
# screen.

# %%
group_form = start.GroupForm()
display(group_form.widget)

# %% [markdown]
# ### Where your answers are saved
#
# Everything your group saves goes to the *workshop folder* printed below: one folder per group,
# one sub-folder per scenario, each holding your decisions, the proposal the kit wrote from them and
# the last verdict.
#
# **For facilitators.** When every group works on its own laptop, each laptop keeps its own folder,
# and you collect the answers at the end (or ask each group to present from its screen). When the
# groups share one server, such as a JupyterHub, point everyone at one shared folder so the debrief
# notebook sees every group's work: set the environment variable `RAINBOW_ROAD_WORKSHOP_DIR` before
# JupyterLab starts, for example
#
# ```bash
# export RAINBOW_ROAD_WORKSHOP_DIR=/srv/rainbow-road/answers
# make lab
# ```
#
# On a JupyterHub, set it once in the hub's configuration for every user's server (for example in
# `c.Spawner.environment`) and make sure every user may write to that folder.

# %%
import os

print(f"Workshop folder: {kit.workspace.saved}")
if os.environ.get(WORKSHOP_ENV):
    print(f"Shared: the facilitator set {WORKSHOP_ENV}, so the debrief sees your answers.")
else:
    print(f"Local: {WORKSHOP_ENV} is not set, so only this laptop sees your answers.")

# %% [markdown]
# ## 3. How the session runs
#
# The working session takes about an hour.
#
# | Part | Time | What happens |
# | --- | --- | --- |
# | The tour | about 15 minutes | Meet Rainbow Road's legacy project (notebook 01), then the dbt features a mesh is built from: access, groups, contracts, versions and refs between projects (notebook 02). |
# | Three scenarios | about 10 minutes each | Groups of three. In each scenario every person takes one role: one of the teams with a stake in the problem. Read your role card, argue for your team, agree on a decision, press **Apply & check**, and read what dbt made of it. Swap roles between scenarios, so everyone argues from a different seat. |
# | The debrief | the rest of the hour | The facilitator opens notebook 07. One group presents its answer, groups with a similar answer add what they did differently, then the group with the most different answer presents, and so on until every approach has been heard. |
#
# There is no single right answer. Several different decisions build, and the interesting part is why
# your group chose the one it did. One tempting answer in each scenario does not build; finding out
# why is part of the game.
#
# **The Mesh Council.** The kit also plays a longer format: a role-playing council of up to ten seats
# (five teams of two) that writes the mesh's policies together, over an hour or an afternoon. Halfway
# through, an emergency lands on the table: a finance analyst changed the logic of a shared hub model
# so that a finance report would work, and a people ops model that reads the same hub model broke.
# People ops wants the change reverted. Notebook 06 plays that emergency with real builds, so the
# council can test its answer before it votes. In the game, every player opens their own seat in
# notebook 08, and the moderators and the facilitator run the table from notebook 09.

# %% [markdown]
# ## 4. Which notebook when
#
# The notebooks are in the file browser on the left, numbered in order; the links below open them.
# They are your own copies (in the kit's `my_notebooks/` folder), so run and edit them freely:
# when the kit is updated, `make lab` brings the ones you did not edit up to date, and puts the
# new version beside any you edited.
#
# | Notebook | What it is for | When |
# | --- | --- | --- |
# | [00 Start here](00_start_here.ipynb) | set-up check, your group, how the session runs, the timer | first, every group |
# | [01 Meet Rainbow Road](01_meet_rainbow_road.ipynb) | the legacy project, its tangled lineage, a few questions answered | the tour |
# | [02 Mesh features tour](02_mesh_features_tour.ipynb) | access, groups, contracts, versions and cross-project refs, each broken on purpose | the tour |
# | [03 Breaking change](03_breaking_change.ipynb) | scenario 1: a change one team needs breaks another team's report | scenarios |
# | [04 Access and lineage](04_access_and_lineage.ipynb) | scenario 2: one team wants another team's internal model | scenarios |
# | [05 Growing mesh](05_growing_mesh.ipynb) | scenario 3: should a new project split off? | scenarios |
# | [06 Council emergency](06_council_emergency.ipynb) | the Mesh Council's emergency, for the council format | council only |
# | [07 Facilitator debrief](07_facilitator_debrief.ipynb) | every group's answers side by side, grouped by approach | facilitator, at the end |
# | [08 Council seat](08_council_seat.ipynb) | a player's own seat: role sheet, secret missions, handbook, policies and the vote | council only, every player |
# | [09 Council moderator](09_council_moderator.ipynb) | table codes, the clock and run sheet, the emergency, the final mesh, the vote, the reveal, the sidebar and the wall | council only, moderators and facilitator |

# %% [markdown]
# ## 5. The discussion timer
#
# Ten minutes goes fast when three people argue. Set the minutes, press **Start**, and keep working:
# the timer counts down on its own, so you can run other cells while it runs. **Pause** stops the
# clock, **Reset** puts the full time back.

# %%
timer = start.DiscussionTimer(minutes=10)
display(timer.widget)

# %% [markdown]
# ## Next
#
# Open [01 Meet Rainbow Road](01_meet_rainbow_road.ipynb) and see the project your group is about
# to govern.

# %% [markdown]
# # Grade a class
#
# This notebook is for the instructor, after the groups have worked on the scenarios (or after a
# Mesh Council game). It grades every answer of the room at once: each group's saved decisions
# are turned into the proposal they add up to, applied to a copy of the mesh of its own, built
# with real dbt, and judged against the scenario's success criteria. The result is a table with
# one row per answer, a score for each, and feedback each group can read.
#
# A few things to know before you press the button:
#
# - **Each different answer is built once.** Groups that pulled every lever the same way gave the
#   same answer, whatever order they clicked in and whatever they wrote in their summary; they
#   share one build and one verdict. A room of thirty groups rarely gives more than ten
#   different answers.
# - **Grading again is quick.** A verdict is remembered, so grading the class a second time only
#   builds the answers that are new or changed since.
# - **One bad answer never stops the others.** A file that cannot be read, an option the scenario
#   does not have, or a build that takes too long becomes its own row, with the reason in plain
#   words, and the rest of the class is graded.
# - **The groups' answers are never changed.** Grading reads them; it only adds a feedback file
#   (`feedback.md`) beside each group's answer, unless you untick that option.

# %%
from mesh_workshop.api import kit
from mesh_workshop.widgets import GradeApp

# %% [markdown]
# ## 1. What can be graded
#
# - **The workshop folder**: what the scenario notebooks saved for each group (one folder per
#   group, one folder per scenario inside it, with the group's `decisions.yml`), and the Mesh
#   Council tables played in it (`councils/<table>/state.json`). The app starts on this folder.
# - **A folder of proposal files**: `.yml` files written by hand in the kit's proposal format
#   (see `docs/proposals.md`), for example collected from a class that worked without notebooks.
# - **A zip of either**, as a learning platform or an email hands them in.
#
# When each group worked on its own laptop, collect the group folders into one folder first (a
# shared drive or a USB stick is enough) and grade that folder. The workshop folder on this
# server:

# %%
print(kit.workspace.saved)

# %% [markdown]
# ## 2. Verdicts and points
#
# Every answer gets one of three verdicts:
#
# | Verdict | What it means |
# | --- | --- |
# | **Passed** | The answer was built and meets every success criterion of its scenario. |
# | **Not passed yet** | A valid answer that misses at least one criterion: its mesh does not build (projects that would read each other in a circle never build), a reader's report breaks, a criterion of the scenario is not met, or the build took longer than the time allowed. The feedback says which criterion and why, in the words the group saw in its own notebook. |
# | **Refused** | The answer could not be built at all: a file that is not an answer, an option the scenario does not have, text that is not allowed in a proposal, a link that leads out of the folder, a file far too large. The reason names the file. A refused answer scores 0. |
#
# **Points.** Each success criterion is worth the points written beside it in the scenario's
# file, `points:` in `scenarios/<id>.yml`, and 1 point when none are written; in every scenario
# of the kit, *every project builds and every test passes* is worth 2. An answer earns a
# criterion's points when it meets it. Some scenarios also list *consequences*: what the
# group's decision means for another team. They appear in the feedback and are worth no points.
#
# Answers without a scenario are scored on what the kit can judge of any mesh: the mesh builds
# (2 points) and it breaks no governance rule (1 point). That holds for:
#
# - **a proposal file that names no scenario of the kit**;
# - **a Mesh Council table**: its final mesh, made of its technical policies (only the ones
#   that passed, once the vote has closed). The secret missions the kit can check on that mesh
#   are shown beside the grade and never counted: they pull against each other on purpose, so
#   no council can meet them all. The missions only the table can judge (people, money) are
#   left to the room.
#
# **Points off for governance warnings** (0 unless you set it): each governance warning the
# answer's mesh raises, such as a public model without a contract, costs that many points. A
# score never goes below zero.
#
# The column *Verdict reached* says how: *built for this answer*, *same answer as another
# group* (it shares that group's build), *from an earlier grading*, or *not built* (refused).

# %% [markdown]
# ## 3. The same from the command line
#
# Grading needs no notebook. In a terminal, in the kit's folder:
#
# ```
# mesh-workshop grade SOURCE --out DIR
# ```
#
# `SOURCE` is the folder or zip to grade. The command prints the same table as the app, and
# `--out` writes the reports into `DIR`: `report.html` (the class on one page, to open in a
# browser), `grades.json` (every grade and reason, for other tools), `grades.csv` (the gradebook,
# for a spreadsheet), `junit.xml` (one test per success criterion, for an autograder or CI) and a
# `feedback/` folder with one file per answer. Its options are the app's:
#
# | Option | What it does |
# | --- | --- |
# | `--strict-deprecations` | Reading a model version that has a deprecation date fails the build, so answers that leave readers on an old version do not pass. |
# | `--warning-cost POINTS` | Points taken off for each governance warning (default 0). |
# | `--time-limit SECONDS` | How long one answer's build may take before it counts as not passed (default 300). |
# | `--scenario ID` | Only this scenario, such as `breaking_change` (repeat it for several). |
# | `--group NAME` | Only this group (repeat it for several). |
# | `--workers N` | How many answers are built side by side (default: one per processor). |
# | `--no-feedback-beside` | Write the feedback files only in `--out`, not beside each group's answer. |
# | `--json` | Print `grades.json` instead of the table. |

# %% [markdown]
# ## 4. The app
#
# The next cell holds the notebook's settings. Leave them as they are to grade with the
# buttons: running the whole notebook then grades nothing by itself.
#
# - `GRADE_FOLDER`: the answers to grade (`None`: the workshop folder).
# - `REPORT_FOLDER`: where the reports are written (`None`: the kit's grade reports folder).
# - `GRADE_ON_RUN`: `True` grades as soon as the notebook runs, for a class you grade the same
#   way every time. With many different answers, that takes several minutes.

# %%
GRADE_FOLDER = None
REPORT_FOLDER = None
GRADE_ON_RUN = False

# %% [markdown]
# Run the next cell to open the app.
#
# 1. **The class.** *Answers* is the folder (or zip) to grade and *Reports* the folder the
#    reports are written to; empty it to write none. To try the grading before the event, press
#    **Make a practice class**: ten made-up groups save four different answers, and *Answers*
#    points at them. Your room's own answers are never touched.
# 2. **Options**, as on the command line above. With no scenario chosen, every scenario is
#    graded; type group names separated by commas to grade only those groups.
# 3. **Grade.** The bar fills as each different answer is checked, and the line beside it says
#    which. The kernel stays free while it runs. Then:
#    - the summary: how many answers passed, were not passed yet or were refused, how many
#      different answers there were, and the most common problem, a good place to start the
#      debrief;
#    - the class as a table, which you can sort by group, scenario, verdict or score, ascending
#      or descending;
#    - **Answer**: choose any group's answer to read its feedback as the group will, criterion by
#      criterion, with what happened in plain words;
#    - where the reports were written.

# %%
app = GradeApp(folder=GRADE_FOLDER, out=REPORT_FOLDER)
app

# %% [markdown]
# ## 5. Grading when the notebook runs
#
# With `GRADE_ON_RUN = True` in the settings above, this cell grades the class with the app's
# options (the app above fills in as it goes) and prints the table the command line prints.

# %%
if GRADE_ON_RUN:
    grades = app.grade_now()
    print(kit.grades_table(grades) if grades is not None else app.message)
else:
    print("Nothing graded yet: press Grade in the app above.")

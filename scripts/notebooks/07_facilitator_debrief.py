# %% [markdown]
# # Facilitator debrief
#
# This notebook is for whoever runs the session. When the groups' ten minutes on a scenario are up,
# run it to see every group's answer next to the others: which levers each group pulled, whether
# its check passed, and what dbt told it.
#
# The debrief itself is a conversation, and the notebook only prepares it:
#
# 1. one group presents its answer;
# 2. the groups that chose something similar add what they did differently;
# 3. then a group with a different answer presents, and the groups close to *that* answer follow;
# 4. and so on, until the most different answer has been heard.
#
# The notebook groups identical answers into *approaches* and suggests an order for the
# presentations, with a reason for each step. It only reads the groups' saved files; it never
# changes them.

# %%
import pandas as pd
from IPython.display import Markdown, display

from mesh_workshop.api import kit
from mesh_workshop.workshop import debrief

# %% [markdown]
# ## 1. Where the answers come from
#
# Every scenario notebook saves into the **workshop folder** when a group presses *Save* or
# *Apply & check*: one folder per group, one folder per scenario inside it, holding the group's
# decisions (`decisions.yml`), the proposal they add up to (`proposal.yml`) and the verdict of the
# last check (`result.json`).
#
# - **One JupyterHub for the room:** give every user the same folder by setting the environment
#   variable `RAINBOW_ROAD_WORKSHOP_DIR` to a shared path in the hub's configuration, before the
#   servers start. Every group's answer then shows up here as soon as it is saved.
# - **One laptop per group:** each laptop keeps its answers in `.workspace/workshop/` inside the
#   kit. Collect the group folders (a shared drive or a USB stick is enough) into one folder and
#   point `RAINBOW_ROAD_WORKSHOP_DIR` at it before starting JupyterLab, or copy them into the
#   folder printed below.

# %%
print("The workshop folder on this server:", kit.workspace.saved)

# %% [markdown]
# ## 2. Optional: demo answers, to try the debrief before the event
#
# **Set `MAKE_DEMO_ANSWERS = False` on the day**, so that the rest of the notebook reads your
# groups' answers.
#
# While it is `True`, the next two cells let five made-up tables answer scenario 1 (the breaking
# change) in a separate demo folder inside the kit's workspace, so they never mix with real groups.
# Three of them press *Apply & check*: each is a real dbt build of that table's own copy of the
# mesh, so the first run takes a few minutes. Later runs find those checks already there and skip
# them. The other two tables only saved their answer, as groups sometimes do.

# %%
MAKE_DEMO_ANSWERS = True  # False on the day: read the real groups' answers

if MAKE_DEMO_ANSWERS:
    # Every check starts from the committed mesh, built once: a minute or two the first time.
    kit.baseline()
    print("The committed mesh is built; the demo tables can check their answers.")

# %%
if MAKE_DEMO_ANSWERS:
    from mesh_workshop.api import DbtWorkerPool
    from mesh_workshop.workshop import demo as debrief_demo

    with DbtWorkerPool() as pool:  # one set of warm dbt workers for all demo checks
        ANSWERS = debrief_demo.make_demo_answers(pool=pool, report=print)
    print(f"\nDEMO ANSWERS: the rest of this notebook reads {ANSWERS}")
else:
    ANSWERS = kit.workspace.saved
    print(f"Reading the groups' answers from {ANSWERS}")

# %% [markdown]
# ## 3. Who has saved what
#
# One row per group, one column per scenario. *Not checked* means the group saved its answer but
# never pressed *Apply & check*; *changed since* means it saved again after its last check, so the
# verdict may belong to an earlier answer. A good moment to nudge those groups before the debrief.

# %%
display(Markdown(debrief.overview_markdown(ANSWERS)))

# %% [markdown]
# ## 4. Pick the scenario to debrief
#
# Set `SCENARIO` to one of the ids listed by the next cell, then run the cells below it again
# for the next scenario.

# %%
for scenario in kit.scenarios():
    print(f"{scenario.id:<20} {scenario.number}. {scenario.title}")

SCENARIO = "breaking_change"
answers = debrief.collect(SCENARIO, ANSWERS)
display(
    Markdown(
        f"**{answers.scenario.title}**: {len(answers.answers)} groups, "
        f"{len(answers.approaches)} approaches."
    )
)
if answers.problems:
    display(Markdown("Some files could not be read:\n\n" + answers.problems_markdown()))

# %% [markdown]
# ## 5. Side by side
#
# One column per group, in the suggested debrief order: the letter of its approach, the option it
# chose on every lever, and the verdict of its last check.

# %%
if answers.answers:
    with pd.option_context("display.max_colwidth", None):
        display(answers.table(groups_as_columns=True))
else:
    display(Markdown(answers.table_markdown()))

# %% [markdown]
# ## 6. Approaches
#
# Groups that pulled every lever the same way share an approach. Each is named by the options that
# set it apart from the others, and marked when it is one of the kit's reference solutions or its
# tempting wrong answer.

# %%
display(Markdown(answers.approaches_markdown()))

# %% [markdown]
# ## 7. Suggested order for the debrief
#
# Approach A opens: the answer most groups reached among those that solved the scenario (or simply
# the most common one if none did yet). Next come the approaches that differ from it on the fewest
# levers, so each group can say what it changed and why. The most different answer comes last.
# Ask one group per approach to present; the others with the same approach add to it.

# %%
display(Markdown(answers.order_markdown()))

# %% [markdown]
# ## 8. What each group's check said
#
# The verdict, the success criteria it did not meet, the plain-language explanations of what dbt
# reported, and the group's summary and notes. They help to ask each group the right question,
# for example: your check says another team's test failed; who should have heard about it first?

# %%
display(Markdown(answers.verdicts_markdown()))

# %% [markdown]
# ## 9. To close: the kit's own answers
#
# After the groups have presented, the reference solutions show two ways that pass, and the
# tempting wrong answer shows why a plausible fix fails. They are not the only good answers: a group
# that found another way that passes has found another way.

# %%
display(Markdown(debrief.reference_markdown(SCENARIO)))

# %% [markdown]
# ## Keep a copy
#
# The next cell writes the whole debrief for this scenario as one Markdown file in the kit's
# workspace, to share with the room afterwards.

# %%
copy = kit.workspace.build / f"debrief_{SCENARIO}.md"
copy.write_text(answers.markdown(), encoding="utf-8")
print(f"Written to {copy}")

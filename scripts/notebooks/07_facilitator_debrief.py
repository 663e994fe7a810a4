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
from mesh_workshop.api import kit
from mesh_workshop.widgets import DebriefApp

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
# ## 2. The debrief
#
# Run the next cell once; everything else is buttons, so nothing needs editing in front of the
# room.
#
# - **The groups' answers / Demo answers**: where the answers come from. *Demo answers* lets five
#   made-up tables answer scenario 1, to try the debrief before the event: press **Make the demo
#   answers**. Three of them press *Apply & check*, each a real dbt build of its own copy of the
#   mesh (about a minute the first time; later the checks already there are reused); the other
#   two only saved, as groups sometimes do. They save in a demo folder of their own and never mix
#   with the real groups.
# - **Scenario**: the scenario to debrief. It starts on the one with the most saved answers.
# - **Refresh**: read the folder again; groups keep saving while you talk.
# - **Save a copy**: the whole debrief of this scenario as one Markdown file, to share afterwards.
#
# **Who has saved what** has one row per group and one column per scenario. *Not checked* means the
# group saved its answer but never pressed *Apply & check*; *changed since* means it saved again
# after its last check, so the verdict may belong to an earlier answer: a good moment to nudge
# those groups.
#
# Below it, for the chosen scenario:
#
# - **Side by side**: each group's approach letter, the option it chose on every lever, and the
#   verdict of its last check; one column per group, or one row per group when there are more
#   than six.
# - **Approaches**: groups that pulled every lever the same way share an approach, named by the
#   options that set it apart and marked when it is one of the kit's reference solutions or its
#   tempting wrong answer.
# - **Suggested order**: approach A opens, the answer most groups reached among those that solved
#   the scenario (or the most common one if none did yet). Next come the approaches that differ
#   from it on the fewest levers, so each group can say what it changed and why; the most different
#   answer comes last. Ask one group per approach to present; the others with the same approach
#   add to it.
# - **What each group's check said**: the verdict, the success criteria it did not meet, the
#   plain-language explanations and the group's summary and notes. They help to ask each group
#   the right question, for example: your check says another team's test failed; who should have
#   heard about it first?
# - **The kit's own answers**, folded until you open them after the groups have presented: two
#   reference solutions that pass and the tempting wrong answer. They are not the only good answers:
#   a group that found another way that passes has found another way.

# %%
DebriefApp()

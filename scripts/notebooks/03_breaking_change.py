# %% [markdown]
# # Scenario 1: a breaking change with conflicting needs
#
# Marketing needed a new outcome category in a hub model, the change shipped, and two other teams'
# reports broke the next morning. Your group decides what should happen now, and the kit builds
# your answer with real dbt to see whether everyone's reports survive it.
#
# **About ten minutes, three people, one laptop.**
#
# 1. **Pick your roles**, one each. Check that the group name at the top of the app is yours (it
#    is filled in if you saved it in the start-here notebook); the facilitator finds your answer
#    by it.
# 2. **Read your own tab** under *Your roles*: who you are, what you want, what presses on you.
#    Argue for that, not for what you would do on a normal day.
# 3. **Talk it through** for about five minutes, using the prompts. Jot down in your notes box
#    what your role will accept and what it will not.
# 4. **Record what you agreed** in *Your decision*: one choice per question, and one sentence.
# 5. **Press Apply & check.** Your decision is saved, written into your group's own copy of
#    Rainbow Road's mesh and built with dbt. The first check takes a minute or two; after that,
#    a few seconds.
# 6. **Read the result**: which success criteria you met, what broke and why, and in the picture
#    of your mesh, the models that changed (yellow) and the models that broke (red).
# 7. **Try again** as often as you like. Stuck? The hints are folded away under the prompts.
#
# Run the cell below (**Shift + Enter**) to open the scenario. Nothing is built until you press
# the button; pressing it once before changing anything shows you what is broken right now.

# %%
from mesh_workshop.widgets import ScenarioApp

app = ScenarioApp("breaking_change")
app

# %% [markdown]
# When your group is done, the facilitator collects every group's answer for the debrief.
# Next: **04_access_and_lineage**, where two teams want each other's models.

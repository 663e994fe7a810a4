# %% [markdown]
# # Scenario 2: negotiating access and untangling lineage
#
# A new dashboard needs a model that its owners never meant to share, and the obvious fix would
# make two projects read each other. Your group decides who publishes what, and where shared
# pieces should live; the kit builds your answer with real dbt and checks the mesh still flows
# one way.
#
# **About ten minutes, three people, one laptop.**
#
# 1. **Pick your roles**, one each, and check the group name at the top of the app.
# 2. **Read your own tab** under *Your roles*, and keep your role's interests in mind when you
#    talk.
# 3. **Talk it through** for about five minutes, with the prompts as a guide. Put in your notes
#    box what your role can live with.
# 4. **Record what you agreed** in *Your decision*, and sum it up in one sentence.
# 5. **Press Apply & check.** The kit saves your decision, applies it to your group's own copy of
#    the mesh and builds it. The first check in this scenario takes longest.
# 6. **Read the result**: the success criteria, what went wrong in plain words, and the picture of
#    your mesh with the models you changed (yellow) and the ones that broke (red).
# 7. **Try again** with other choices; every check is saved, so nothing you agreed gets lost.
#
# Run the cell below (**Shift + Enter**) to open the scenario. Nothing is built until you press
# the button.

# %%
from mesh_workshop.widgets import ScenarioApp

app = ScenarioApp("access_and_lineage")
app

# %% [markdown]
# Next: **05_growing_mesh**, where a team asks for a project of its own.

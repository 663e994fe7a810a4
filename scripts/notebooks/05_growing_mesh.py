# %% [markdown]
# # Scenario 3: is the mesh growing?
#
# Two teams that share one project work at very different speeds, and one of them wants a
# project of its own. Splitting sounds simple until you look at who reads whose models. Your
# group decides how the mesh should be laid out; the kit moves the models, builds every project
# with real dbt, and tells you whether the new layout holds.
#
# **About ten minutes, three people, one laptop.**
#
# 1. **Pick your roles**, one each, and check the group name at the top of the app.
# 2. **Read your own tab** under *Your roles*. Each role wants something different from the split.
# 3. **Talk it through** for about five minutes, with the prompts. Note in your box what your
#    role insists on.
# 4. **Record what you agreed** in *Your decision*, plus one sentence on why.
# 5. **Press Apply & check.** Moving models between projects means building more than in the
#    other scenarios, so the first check takes a little longer.
# 6. **Read the result** and the picture of your mesh: moved or changed models are yellow, broken
#    ones red, and the dashed arrows show which projects read which.
# 7. **Try again** with another layout if the first one does not hold.
#
# Run the cell below (**Shift + Enter**) to open the scenario. Nothing is built until you press
# the button.

# %%
from mesh_workshop.widgets import ScenarioApp

app = ScenarioApp("growing_mesh")
app

# %% [markdown]
# That was the last working-session scenario. The facilitator's notebook,
# **07_facilitator_debrief**, puts every group's answers side by side. Playing the Mesh Council
# instead? Its emergency is **06_council_emergency**.

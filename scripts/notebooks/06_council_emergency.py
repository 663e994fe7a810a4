# %% [markdown]
# # The Mesh Council's emergency
#
# This one interrupts the council game: the council has only just agreed how it makes decisions
# when a change to a hub model breaks a people ops report and rescue operations' intake
# pipeline. Use the process your council agreed to decide what happens now, and let the kit
# build your decision with real dbt.
#
# It is the emergency of the Mesh Council game, where the moderators open it from their app in
# notebook 09, and it still plays on its own at a meetup, as one more scenario for a group.
#
# **About five minutes, the whole table, one laptop.**
#
# 1. **Seats**: the app has one role for each of the five teams; the other seat of each team
#    speaks for it too. Data Leadership moderates and types. Check that the group name at the
#    top of the app is your council's.
# 2. **Read the tabs** of the five roles aloud, or let each of those seats read their own.
# 3. **Decide, quickly**, the way your council said it would decide. The prompts help you stay
#    on the point. Each seat can leave a line in its notes box.
# 4. **Record the decision** in *Your decision*, with one sentence the council can vote on.
# 5. **Press Apply & check.** The decision is saved and built in your council's own copy of the
#    mesh. The first check takes a minute or two.
# 6. **Read the result** to the table: the success criteria, what the decision means for each
#    team (a revert is a fair answer: the kit shows who gains and who waits), what broke in plain
#    words, and the picture with changed models in yellow and broken ones in red.
# 7. **Try again** if the table wants to, then go back to the council's next session: the
#    emergency is a good first entry in your policies.
#
# Run the cell below (**Shift + Enter**) to open the emergency. Nothing is built until you press
# the button.

# %%
from mesh_workshop.widgets import ScenarioApp

app = ScenarioApp("council_emergency")
app

# %% [markdown]
# At the end of the session, the facilitator's notebook **07_facilitator_debrief** shows every
# council's answer side by side.

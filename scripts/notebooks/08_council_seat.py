# %% [markdown]
# # The Mesh Council: your seat
#
# Everyone at a Mesh Council table opens this notebook on their own screen, so your secret
# missions stay with you. Your table's seats meet in one shared workshop folder: use the room's
# JupyterHub (or the server the facilitator gave you), not a copy of the kit of your own.
#
# 1. Run the cell below (**Shift + Enter**).
# 2. Type your **table's name** exactly as the moderator says it, choose your **seat number**,
#    type the **seat code** from your table card and **your name**, and press **Open my seat**.
# 3. Your role sheet appears, with a red box, **Secret: only for you**, holding your team's and
#    your role's secret missions. Keep it to yourself: how much you tell the table is up to you.
#    **Hide my secret** folds it away when someone looks over your shoulder.
# 4. Below it: where the council is now and how long is left, the council's policies, a form to
#    propose your own, and the architect's handbook. During the vote, your yes, no and abstain
#    buttons appear next to each policy. The page reads the table again on its own every 15
#    seconds; **Refresh** reads it at once.
#
# The app says there is no such table? Check its name with the facilitator, and that you are on
# the room's server. Lost your code, or someone else is in your seat? Ask the facilitator: they
# can show the codes again. Closed the notebook by mistake? Open your seat again with the same
# name and code. Playing two seats of a smaller table? Run the cell again for the second one.

# %%
from mesh_workshop.widgets import SeatApp

SeatApp()

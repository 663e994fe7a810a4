# %% [markdown]
# # The Mesh Council: the moderators' and facilitator's screen
#
# The Mesh Council is a role-playing game: each table is one council of ten seats, five teams of
# two, deciding together how Rainbow Road's teams will live in their dbt Mesh. This notebook is
# for the two moderators of a table (seats 9 and 10, Data Leadership) and for the facilitator of
# the room. Every player opens **08_council_seat** instead.
#
# ## How the hour runs
#
# | Phase | Minutes | What happens |
# | --- | --- | --- |
# | Take your seats | 5 | Players open their seats in notebook 08 and read their role sheets. |
# | Council session 1 | 10 | Introductions in role; the council agrees how an idea becomes a policy, and how it is enforced. |
# | The emergency | 5 | A change to a hub model breaks other teams' reports; the council decides, and tries its decision on the mesh. |
# | Council session 2 | 10 | What every project shares, where teams are free, how data is shared, and the final project graph. |
# | Cross-council sidebar | 5 | People with the same seat number at different tables compare notes. |
# | Council session 3 | 10 | Policies written down, the final vote, getting ready to present. |
# | Presentations | 15 | About a minute per council, then the secret missions are revealed. |
#
# The afternoon version runs the same phases with more time in each, enough to build the mesh
# the council wants and argue about what the kit says of it.
#
# ## Before the game (the facilitator)
#
# Every screen of a table reads and writes the table's state in the workshop folder, so every
# player must reach the same folder: run the game on one JupyterHub (or one JupyterLab server
# everyone's browser connects to) with `RAINBOW_ROAD_WORKSHOP_DIR` set to a folder all users may
# write, as notebook 00 describes.
#
# 1. Run the cell at the bottom, type a table's name (such as *Table 1*), choose the game's
#    length and press **Open the table**. The seat codes appear once: write each one on its
#    seat's table card, then press **Hide the codes**. **Show the seat codes again** brings them
#    back when a card goes missing. Open one table per group of up to ten people.
# 2. Hand each player their table card. They open **08_council_seat** and their seat with it.
#
# ## During the game (the moderators)
#
# Open your table, then your seat (9 or 10) with its code and your name. The tabs:
#
# - **Clock**: the phase, the time left and what comes next, with **Next phase** and
#   **+2 minutes**; what you say to open each phase; and the run sheet, phase by phase, with the
#   current one marked.
# - **Emergency**: opens the emergency for your council on this screen. The table reads the roles,
#   decides, and presses **Apply & check** to build its decision with real dbt.
# - **Final mesh**: builds the council's technical policies into its own copy of the mesh with
#   real dbt (a minute or two), then says whether it is green and draws it.
# - **Vote**: in session 3, **Open the vote**; every seat votes on its own screen; the tally fills
#   in as they do; **Close the vote**, then decide any tie.
# - **Reveal**: after the vote, every seat's secret missions and whether they were met. The kit
#   checks the missions about the mesh and the vote (build the final mesh first); for the ones
#   about people and money, record the table's word with one line saying why. **Write the
#   printable page** then saves the council's policies, tally, mesh and reveal as one page (HTML,
#   and PDF) to present from or print.
#
# ## Every table at once (the facilitator)
#
# - **Sidebar**: for each seat number, who plays it at every table, and each council's policies
#   so far. Use it to send people with the same number to find each other.
# - **Wall**: every council side by side: its phase, its policies, what passed, and whether its
#   last final mesh, built on any screen, is green. Share it on the room's screen.
#
# ## Fewer than ten people
#
# Open all ten seats anyway, and hand out only the cards of the seats your table plays:
#
# | People | Who plays what |
# | --- | --- |
# | 9 | One person plays seats 1 and 2 (Data Platform). |
# | 8 | As for 9, and one person plays seats 7 and 8 (Rescue Operations). |
# | 7 | As for 8, and one person plays seats 3 and 4 (Finance & Marketing). |
# | 6 | Every team but Data Leadership is one person playing both its seats. |
# | 5 | One person per team; seats 2, 3, 5 and 8 stay empty, and one person moderates from 9 and 10. |
#
# A person who plays two seats opens both in notebook 08: run its cell a second time for the
# second seat. A table needs at least five people, one for each team.
#
# ## Playing remotely, over a video call
#
# 1. The facilitator opens one table per breakout room and sends each player their table's name,
#    their seat number and its code in a private message.
# 2. Everyone opens **08_council_seat** on their own laptop, logged in to the room's JupyterHub as
#    themselves, and opens their seat.
# 3. The moderator shares their screen with this notebook: the Clock tab while the council talks,
#    the Emergency and Final mesh tabs when the council tries its decisions, the Vote tab during
#    the vote, and the Reveal tab at the end.
# 4. For the sidebar, the facilitator sends people with the same seat number to one breakout
#    room for five minutes; the Sidebar tab says who they are.
#
# ## The app
#
# Run the cell below. Everything else is buttons.

# %%
from mesh_workshop.widgets import CouncilApp

CouncilApp()

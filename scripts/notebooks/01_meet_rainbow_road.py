# %% [markdown]
# # Meet Rainbow Road
#
# Rainbow Road started as a handful of volunteers driving dogs and cats from rural shelters, where
# space runs out and time runs short, to cities where families are waiting to adopt. Nearby rescues
# joined, then whole regions. Today Rainbow Road runs shelters, foster networks and adoption centres
# in five regions, and its numbers (live releases, length of stay, cost per animal) are what win the
# grants that pay for the next transport.
#
# All of those numbers come from one dbt project, `data_platform`. It began as the central data
# team's tidy little project. Then finance wanted donation reports, marketing wanted campaign
# attribution, HR wanted quarterly people metrics, and every adoption centre wanted its own KPIs.
# Everyone added models where it was convenient. Nobody owns the whole thing any more.
#
# In this notebook you will:
#
# 1. build `data_platform` with real dbt on a real (embedded) DuckDB warehouse,
# 2. look at its lineage and see why people call it the spaghetti monster,
# 3. ask it a few questions the teams ask every week.
#
# **How to run it:** click into the first code cell and press **Shift + Enter** to run a cell and move
# to the next one, or choose **Run > Run All Cells**.

# %%
from IPython.display import Markdown, display

from mesh_workshop.api import kit

# %% [markdown]
# ## 1. Build the legacy project
#
# `dbt build` creates every model as a table and runs every test, in dependency order. `make lab`
# has usually built it already, in the background, and then this cell answers at once with that
# build's result. Otherwise it builds now, which takes about half a minute.

# %%
build = kit.build_monolith()
display(Markdown(build.summary()))

# %% [markdown]
# ## 2. The spaghetti monster
#
# Each box below is a part of the organisation and the number of models it has. An arrow means
# "models on this side are read by models on that side", labelled with how many such links there
# are. **Red arrows** are the tangles: one team's models reading another team's models directly. Each
# of them is a place where a change by one team can silently break another team's report.

# %%
display(Markdown(kit.monolith_lineage("domains")))

# %% [markdown]
# Now the tangles themselves: only the models at either end of a red arrow. Follow one and ask
# yourself: does the team that owns the upstream model even know this reader exists?
#
# (Every model at once makes a picture too big to read; `kit.monolith_lineage("models")` draws
# it if you are curious.)

# %%
display(Markdown(kit.monolith_lineage("tangles")))

# %% [markdown]
# ## 3. One model, many readers
#
# `fct_animal_outcomes` sorts every outcome (adoption, return to owner, transfer, ...) into a
# category with a single `case` expression. Funders care about live releases, HR reports on what
# volunteers helped achieve, and both read this one model. Keep it in mind: it is at the heart of
# the breaking-change scenarios later in the workshop.

# %%
display(Markdown(kit.monolith_lineage(model="fct_animal_outcomes")))

# %% [markdown]
# ## 4. Questions the teams ask
#
# The answers come straight from the warehouse you just built. The connection is opened for one
# query and closed again, so it never gets in the way of the next build.

# %% [markdown]
# ### How many animals found a home, by region and year?

# %%
kit.answer("adoptions_by_region_and_year")

# %% [markdown]
# ### How long does an animal stay in our care before its outcome?

# %%
kit.answer("average_length_of_stay")

# %% [markdown]
# ### Which campaigns raised the most money?

# %%
kit.answer("donations_by_campaign")

# %% [markdown]
# ## Where next
#
# You have seen why Rainbow Road's data architect proposed a dbt Mesh: split `data_platform` into a
# hub that keeps the shared core, and spoke projects owned by rescue operations, people ops, and
# finance & marketing. The next part of the workshop works on that split, and on the agreements
# (owners, access, contracts, versions) that keep the teams from breaking each other's work.

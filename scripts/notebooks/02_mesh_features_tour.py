# %% [markdown]
# # The mesh features tour
#
# Rainbow Road's data architect split the legacy project into four dbt projects. Splitting is the
# easy part. What keeps four teams from tripping over each other is a handful of dbt features,
# and this notebook walks through them on Rainbow Road's own mesh:
#
# 1. why split at all,
# 2. **access and groups**: who may read a model, and who answers for it,
# 3. **contracts**: a promise about a model's columns that dbt enforces,
# 4. **versions**: changing a model without pulling the rug from under its readers,
# 5. **cross-project refs**: how one project reads another's models.
#
# For each feature you first look at the real files in `mesh_projects/`, then run a *live* cell
# that follows the rule (it builds) and one that breaks it on purpose. Live cells do not touch the
# real projects: each writes a small **proposal** (a YAML file listing decisions about the mesh, the
# same kind your group will make in the scenarios), copies the mesh into a sandbox, applies the
# proposal there and builds the sandbox with real dbt. What dbt says comes back with the kit's
# explanation in plain words.
#
# Each section has a sandbox of its own (its proposals name it: `tour_access`, `tour_contracts`,
# ...), and every check starts from a fresh copy of the committed mesh, so a cell never inherits the
# decisions of the cells before it. The first live cell of a section takes longest, because dbt
# starts once for each project of that sandbox; the second one reuses the running dbt.

# %%
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml
from IPython.display import Markdown, display

from mesh_workshop.api import explanations_markdown, kit
from mesh_workshop.dbt.runner import ProjectRun
from mesh_workshop.proposal import ProposalError

KIT_ROOT = kit.workspace.kit
MESH = kit.workspace.committed_mesh
# dbt processes that stay running between checks, so rebuilds are quick. Those of a section you
# have moved on from stop after a minute and a half, which keeps the laptop's memory free.
pool = kit.workers(idle_timeout=90)
drafts = Path(tempfile.mkdtemp(prefix="features-tour-"))

baseline = kit.build_mesh()  # the committed mesh: instant when built, about a minute when not
print("The mesh is built." if baseline.ok else baseline.table())


# %% [markdown]
# ### The tour's helpers
#
# You can skip reading this cell. `show` prints a file of the mesh (or the lines of it that matter
# here), `show_model` prints the governance part of a model's YAML entry, and `check` writes a
# proposal, applies it to a sandbox, builds the sandbox and shows the verdict.


# %%
def show(path, only=None):
    """Print a file (relative to mesh_projects/ unless absolute), or its lines containing `only`."""
    path = Path(path) if Path(path).is_absolute() else MESH / path
    print(f"# {path.relative_to(KIT_ROOT) if path.is_relative_to(KIT_ROOT) else path}")
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if only is None or only in line:
            print(f"{number:4}  {line}" if only else line)


def show_model(project, model, root=MESH, columns=False):
    """The YAML entry of one model: its name, config and versions; columns only on request."""
    for path in sorted((root / project / "models").rglob("*.yml")):
        for entry in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if entry.get("name") == model:
                shown = {
                    k: v for k, v in entry.items() if k in {"name", "config", "latest_version"}
                }
                if "versions" in entry:
                    shown["versions"] = entry["versions"]
                if columns:
                    shown["columns"] = [
                        {k: v for k, v in c.items() if k in {"name", "data_type", "constraints"}}
                        for c in entry.get("columns", [])
                    ]
                print(f"# {path.relative_to(root.parent)}")
                print(yaml.safe_dump(shown, sort_keys=False, allow_unicode=True))
                return


def check(proposal_yaml):
    """Apply a proposal to the sandbox it names, build the sandbox with dbt, show the verdict."""
    path = drafts / "proposal.yml"
    path.write_text(proposal_yaml)
    result = kit.check(
        path, runner=pool.run, on_progress=lambda project, status: print(f"{project}: {status}")
    )
    display(Markdown(result.markdown()))
    return result


# %% [markdown]
# ## 1. Why split a dbt project?
#
# One dbt project served Rainbow Road well while one team ran it. Then four teams worked in it, and
# the same four problems came up again and again:
#
# - **Too many models for anyone to hold in their head.** Nobody can say any more what a change to
#   a shared model will touch.
# - **Teams work at different speeds.** Finance wants its report changed this week; the platform
#   team reviews every pull request; people ops changes its models twice a year. In one project,
#   everyone waits for everyone.
# - **Nobody promises anything.** Any model can be read by any other, so every model is
#   accidentally a product, and none of them is looked after like one.
# - **Security needs grow.** HR data should not sit in a project that everybody works in.
#
# A *mesh* is several dbt projects that read each other through a few agreed models. Rainbow Road's
# architect chose **hub and spoke**: `data_platform` (the hub) keeps the raw data and the core data
# sets, and three spoke projects each belong to one team. Spokes read the hub, never each other.
# Here is the mesh as it stands, drawn from the projects' own files: each arrow says how many
# `ref`s cross from one project into another.

# %%
layout = kit.mesh()
display(Markdown(kit.mesh_picture()))

# %% [markdown]
# ## 2. Access and groups
#
# A **group** is a named team of models with an **owner**: the person other teams ask when a model
# breaks or needs to change. Every model in a Rainbow Road project belongs to its project's team.
#
# Every model also has an **access** level that says who may `ref` it:
#
# | access | who may read the model |
# | --- | --- |
# | `private` | only models in the same group |
# | `protected` | only models in the same project (the default when nothing is set) |
# | `public` | models in any project |
#
# dbt checks access when it reads the projects (it *parses* them), before anything is built, so a
# forbidden `ref` never gets as far as the warehouse. Here is the hub's team and its owner, and the
# line in `dbt_project.yml` that puts every hub model in that group:

# %%
show("data_platform/models/_groups.yml")
print()
show("data_platform/dbt_project.yml", only="+group")

# %% [markdown]
# `int_intakes_enriched` is an *intermediate* model of the hub: a step on the way to the marts
# rather than a finished data set. The architect made it public because three spokes build on it.
# Its entry says so, and the projects' files show who reads it:

# %%
show_model("data_platform", "int_intakes_enriched")
for b in layout.boundaries:
    if b.producer_model == "int_intakes_enriched":
        print(f"read by {b.consumer:<18} in {b.consumer_model}")

# %% [markdown]
# ### Live: following the rule
#
# `stg_donor_crm__donations` holds every gift as the donor database recorded it: who gave, when,
# how much and how they paid. The only model that reads it is `int_donations_enriched`, which
# belongs to the platform team too; finance and rescue operations read that one instead of the raw
# rows. So the platform team can make the raw rows **private**: nobody outside the team can start
# depending on them, and the mesh still builds.

# %%
access_ok = check("""
version: 1
group: Features tour
scenario: tour_access
summary: Raw donation rows stay with the platform team.
models:
  - model: data_platform.stg_donor_crm__donations
    access: private
    rationale: Raw gifts carry donors' details; other teams read the enriched model.
""")

# %% [markdown]
# ### Live: breaking the rule
#
# Now the tempting move from the platform team's point of view: "intermediate models are our
# implementation details, nobody outside the hub should read them". Make `int_intakes_enriched`
# **protected** and watch what happens to the three spokes that read it.

# %%
access_broken = check("""
version: 1
group: Features tour
scenario: tour_access
summary: Intermediate models are implementation details; nobody outside the hub reads them.
models:
  - model: data_platform.int_intakes_enriched
    access: protected
""")

# %% [markdown]
# The hub still builds: nothing is wrong *inside* it. Every spoke that reads the model stops at
# parse time, before a single table is built. In a real mesh this is the moment a team discovers a
# reader it did not know it had, which is why access changes are a conversation between teams, not
# a setting one team flips.

# %% [markdown]
# ## 3. Contracts
#
# Being public says *who* may read a model. A **contract** says *what* they get: the model's column
# names and data types, written down in its YAML and checked by dbt on every build. With
# `contract: {enforced: true}`, dbt compares what the model's SQL returns with the promised columns
# before it replaces the table; if a column is missing, extra, or of another type, the build of that
# model stops there. A contract can also carry **constraints**
# (`not_null`, `unique`, `primary_key`, `check`), which DuckDB enforces on every row it writes.
#
# `fct_animal_outcomes` is the model the whole organisation reads its live-release figures from.
# Today it is public, but nothing holds its columns in place:

# %%
show_model("data_platform", "fct_animal_outcomes")

# %% [markdown]
# ### Live: following the rule
#
# The platform team enforces a contract. The proposal only names the constraints; the kit fills in
# each column's type from what the model produces today, as a careful team would.

# %%
contract_ok = check("""
version: 1
group: Features tour
scenario: tour_contracts
summary: Promise the columns of the outcomes model to every reader.
models:
  - model: data_platform.fct_animal_outcomes
    contract:
      enforced: true
      columns:
        - name: outcome_id
          constraints: [not_null, primary_key]
        - name: days_in_care
          constraints: [{type: check, expression: "days_in_care >= 0"}]
""")

# %% [markdown]
# Here is what the contract looks like in the sandbox's YAML:

# %%
show_model("data_platform", "fct_animal_outcomes", root=contract_ok.sandbox, columns=True)

# %% [markdown]
# ### Live: breaking the rule
#
# Someone on the finance side exports everything to spreadsheets and would like `days_in_care` as
# text. They change the contract, but not the SQL.

# %%
contract_broken = check("""
version: 1
group: Features tour
scenario: tour_contracts
summary: Spreadsheets treat everything as text anyway.
models:
  - model: data_platform.fct_animal_outcomes
    contract:
      enforced: true
      columns:
        - name: days_in_care
          data_type: varchar
""")

# %% [markdown]
# Read dbt's table in the contract message: the column, the type the SQL produces, the type the
# contract promises. The sandbox builds the mesh as if for the first time, so the model has no table
# at all and its readers in the spokes fail too. In a warehouse that already held the table, they
# would quietly keep reading yesterday's rows. Either way the failure starts at the producer, where
# it can be fixed before anyone downstream builds on wrong data.

# %% [markdown]
# ## 4. Versions
#
# Sometimes a public model *has* to change in a way that breaks readers. Finance and marketing want
# transfers to partner shelters counted as their own outcome category instead of as live releases.
# This is the change, as the scenarios offer it:

# %%
change = yaml.safe_load((KIT_ROOT / "scenarios" / "logic_changes.yml").read_text())[
    "transfers_counted_separately"
]
print(change["title"])
print(change["story"])
for edit in change["replace"]:
    print("\n- " + edit["find"] + "\n+ " + edit["with"].replace("\n", "\n+ "))

# %% [markdown]
# ### Live: breaking the rule
#
# The pull request was approved, so ship it: change the model in place, for everyone at once.

# %%
in_place = check("""
version: 1
group: Features tour
scenario: tour_versions
summary: The change was approved; ship it for everyone.
models:
  - model: data_platform.fct_animal_outcomes
    logic_change: transfers_counted_separately
""")

# %% [markdown]
# The hub builds, and so does finance, who asked for the change. People ops and rescue
# operations have tests that know the old categories, and those tests now find rows with a
# category they have never heard of.
#
# **Versions** let both sides have what they need. A versioned model lists its versions in YAML
# (`versions: [{v: 1}, {v: 2}]`); each version is its own SQL file (`fct_animal_outcomes_v2.sql`)
# and its own table. `latest_version` says which one a plain `ref('data_platform',
# 'fct_animal_outcomes')` reads, and a reader that wants a particular version says so:
# `ref('data_platform', 'fct_animal_outcomes', v=2)`. A version newer than the latest one is a
# *prerelease*: there for whoever opts in. An old version can get a `deprecation_date`, and dbt
# warns everyone who still reads it.
#
# ### Live: following the rule
#
# Ship the new categories as version 2. Version 1 stays the latest, so people ops and rescue
# operations keep what they have until the deprecation date a year from now. Finance pins version 2
# today.

# %%
retire_v1_on = date.today() + timedelta(days=365)
versioned = check(f"""
version: 1
group: Features tour
scenario: tour_versions
summary: New categories as version 2; version 1 stays until readers have moved.
models:
  - model: data_platform.fct_animal_outcomes
    new_versions:
      - version: 2
        logic_change: transfers_counted_separately
    latest_version: 1
    deprecate_version: 1
    deprecation_date: {retire_v1_on.isoformat()}
pins:
  - consumer: finance_marketing
    model: data_platform.fct_animal_outcomes
    version: 2
""")

# %% [markdown]
# Everything builds. The notes above are dbt's warnings, and they are useful: readers learn
# that version 1 has a retirement date and that a newer version is waiting. Here are the versions
# in the sandbox's YAML, and finance's report reading version 2:

# %%
show_model("data_platform", "fct_animal_outcomes", root=versioned.sandbox)
show(
    versioned.sandbox / "finance_marketing/models/marts/finance/grant_outcome_report.sql",
    only="fct_animal_outcomes",
)

# %% [markdown]
# ## 5. Cross-project refs
#
# Inside one project a model reads another with `ref('model_name')`. Across projects the `ref`
# takes two arguments: the project first, then the model. Here is people ops' volunteer impact
# report reading two hub models and one of its own:

# %%
show("people_ops/models/marts/people_ops/volunteer_impact.sql", only="ref(")

# %% [markdown]
# dbt needs two things to resolve such a `ref`: to know that the project `data_platform` exists,
# and to know its public models. In dbt Cloud, a project lists the projects it reads in
# `dependencies.yml` and dbt Cloud does the rest. Plain dbt-core, which this kit runs on your
# laptop, accepts that file but does nothing with it. The **dbt-loom** plugin fills the gap: its
# config points at the upstream project's `manifest.json`, the file dbt writes when it parses a
# project, and while dbt parses the downstream project, dbt-loom adds the upstream's models to it,
# access levels included, so dbt can resolve each `ref` and check that it is allowed. So the
# upstream project must be parsed (and, for its data, built) first; the kit builds the hub first for
# that reason.

# %%
show("people_ops/dependencies.yml")
print()
show("people_ops/dbt_loom.config.yml")

# %% [markdown]
# ### Live: following the rule
#
# When the mesh was built, dbt compiled each `ref` into the table it stands for. Each hub model
# becomes a table in the hub's database file, which people ops' build attaches read-only under the
# name `data_platform`:

# %%
compiled = (
    kit.workspace.mesh_build()
    / "people_ops/target/compiled/people_ops/models/marts/people_ops/volunteer_impact.sql"
)
show(compiled, only="data_platform")

# %% [markdown]
# ### Live: breaking the rule (1): no dbt-loom
#
# What if a project uses two-argument refs and nothing tells dbt about the upstream project? Copy
# people ops somewhere without its dbt-loom config and ask dbt to parse it.

# %%
without_loom = drafts / "people_ops_without_loom"
shutil.copytree(
    MESH / "people_ops",
    without_loom,
    ignore=shutil.ignore_patterns("dbt_loom.config.yml", "target", "logs"),
)
parsed = pool.run(
    ProjectRun("people_ops", without_loom, drafts / "people_ops_without_loom_build"), "parse"
)
print("parsed" if parsed.ok else parsed.error)
display(Markdown(explanations_markdown(kit.explain_build(parsed), dbt_messages=False)))

# %% [markdown]
# The kit's explanation lists the usual causes. Here it is the last one: without dbt-loom's
# config, dbt-core has never heard of a project called `data_platform`, so no model of it can be
# found. Put the config back (or, in dbt Cloud, list the project in `dependencies.yml`) and the same
# files parse.
#
# ### Live: breaking the rule (2): projects reading each other in a circle
#
# Refs between projects must all point one way. If the hub read a spoke while the spoke reads the
# hub, neither could be built first. dbt-loom does not notice such a circle, so the kit checks for
# it before dbt runs. Here the platform team moves finance's donor model into the hub, where it
# would still need a finance model:

# %%
try:
    check("""
version: 1
group: Features tour
scenario: tour_refs
summary: Donors are core data; move the donor model into the hub.
moves:
  - model: finance_marketing.dim_donors
    to: data_platform
""")
except ProposalError as refused:
    display(Markdown("**Refused before dbt ran.** Nothing was written to the sandbox."))
    display(Markdown(explanations_markdown([kit.explain(str(refused))], dbt_messages=False)))

# %% [markdown]
# This is exactly the twist waiting in one of the scenarios, so remember the lever: move the
# shared piece into the hub, so both sides read the hub instead of each other.
#
# ## Wrap up
#
# | Feature | In the YAML | What it protects | When it is checked |
# | --- | --- | --- | --- |
# | Groups | `groups:` with an `owner`, `group:` on models | who answers for a model | when dbt parses |
# | Access | `access: private / protected / public` | who may build on a model | when dbt parses |
# | Contracts | `contract: {enforced: true}`, column `data_type`s, `constraints` | the shape readers rely on | before the model's table is replaced |
# | Versions | `versions:`, `latest_version:`, `deprecation_date:`, `ref(..., v=2)` | readers' time to move | when dbt parses and builds |
# | Cross-project refs | `ref('project', 'model')`, dbt-loom config, `dependencies.yml` | a one-way flow between projects | when dbt parses (the circle check by the kit) |
#
# These are the levers your group pulls in the scenarios. The last cell stops the dbt processes
# this notebook started.

# %%
pool.close()
shutil.rmtree(drafts, ignore_errors=True)
print("Done. Next: the scenarios, starting with notebook 03.")

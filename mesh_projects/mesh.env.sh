# Source this file before running plain dbt in the mesh projects from a terminal:
#   source mesh_projects/mesh.env.sh
# It points every project's profile and dbt-loom config at this folder, by absolute path.
export RAINBOW_ROAD_MESH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)"

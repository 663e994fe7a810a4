#!/usr/bin/env bash
# A Rainbow Road workshop server's entry point: bring the user's copies of the notebooks up to
# date, then run the server's command (`jupyterhub-singleuser` on JupyterHub, JupyterLab by
# default). On Kubernetes a user's home folder is a volume of its own, which hides whatever the
# image put there, so the copies are made here, at every start: missing notebooks are copied,
# copies nobody edited follow the image's version, edited ones are kept (`mesh-workshop notebooks`).
set -euo pipefail

# shellcheck source=/dev/null
source "@PREFIX@/env.sh"

NOTEBOOKS="${RAINBOW_ROAD_NOTEBOOKS:-$HOME/rainbow-road}"
if ! mesh-workshop notebooks --to "$NOTEBOOKS"; then
    # A server that starts without fresh copies is still better than none.
    echo "Could not copy the workshop's notebooks into $NOTEBOOKS; starting anyway." >&2
fi

if [ $# -eq 0 ]; then
    set -- jupyter lab --ip=0.0.0.0 --no-browser
fi
exec "$@"

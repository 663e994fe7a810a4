"""A whole room on one server: the room's JupyterHub (`hub.py`, configured by `hub_config.py`),
its processes (`processes.py`) and a client that talks to it as the room's browsers do
(`hub_client.py`, for the tests and the load test)."""

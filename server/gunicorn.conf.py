"""gunicorn settings for ``server/wsgi.py`` (``synthkg serve`` sets the same in code).

Sync workers: each handles one request at a time and hands its query to its own query
process, so a slow query holds one worker and the others keep answering.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("SYNTHKG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SYNTHKG_WORKERS", min(2 * multiprocessing.cpu_count(), 8)))
worker_class = "sync"
# The worker waits for its query process up to the query time limit; leave a margin.
timeout = int(float(os.environ.get("SYNTHKG_QUERY_TIMEOUT", "30"))) + 30
graceful_timeout = 10
# Preloading shares an in-memory store between workers; an on-disk store is opened per worker.
preload_app = os.environ.get("SYNTHKG_IN_MEMORY", "").lower() in ("1", "true", "yes")
accesslog = "-"
proc_name = "synthkg"
# No control socket: several servers may run side by side on one machine.
control_socket_disable = True

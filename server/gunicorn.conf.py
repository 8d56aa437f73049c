"""gunicorn settings for ``server/wsgi.py`` (``synthkg serve`` applies the same ones).

Threaded workers hand each query to a query process of their own; a request that finds
every query slot taken is refused with 503 after ``SYNTHKG_QUEUE_WAIT`` seconds rather than
queued, the listen backlog is short, workers (when there are several) are recycled after a
number of requests, and SIGTERM lets the requests in flight finish (see ``synthkg.web.capacity``).
"""

from __future__ import annotations

import os

from synthkg.web.allocator import tune_allocator
from synthkg.web.capacity import default_workers, end_worker, gunicorn_options

tune_allocator()  # read by the master: its workers inherit the settings
bind = os.environ.get("SYNTHKG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SYNTHKG_WORKERS") or default_workers())
_options = gunicorn_options(float(os.environ.get("SYNTHKG_QUERY_TIMEOUT", "30")), workers)
worker_class = _options["worker_class"]
threads = _options["threads"]
worker_connections = _options["worker_connections"]
backlog = _options["backlog"]
max_requests = _options["max_requests"]
max_requests_jitter = _options["max_requests_jitter"]
limit_request_line = _options["limit_request_line"]
# The worker waits for its query process up to the query time limit; leave a margin.
timeout = _options["timeout"]
graceful_timeout = _options["graceful_timeout"]
worker_exit = end_worker
post_worker_init = _options["post_worker_init"]
# Preloading lets the workers share the app and the pages' saved data; the store itself is
# opened (or, in memory, copied) by each worker's query processes.
preload_app = os.environ.get("SYNTHKG_IN_MEMORY", "").lower() in ("1", "true", "yes")
accesslog = "-"
proc_name = "synthkg"
# No control socket: several servers may run side by side on one machine.
control_socket_disable = True

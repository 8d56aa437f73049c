"""WSGI entry point for any WSGI server: ``app`` built from ``SYNTHKG_*`` variables.

    gunicorn -c server/gunicorn.conf.py --chdir server wsgi:app

``SYNTHKG_STORE`` names the persistent store directory (default build/store; built when its
stamp is stale), ``SYNTHKG_QUERY_TIMEOUT``, ``SYNTHKG_MAX_QUERY_BYTES``,
``SYNTHKG_MAX_RESULT_ROWS``, ``SYNTHKG_SERVICE_ALLOWLIST`` and ``SYNTHKG_IN_MEMORY`` set the
limits (see ``synthkg.web.app``).
"""

from __future__ import annotations

from synthkg.web import create_app
from synthkg.web.server import config_from_env

app = create_app(config_from_env())

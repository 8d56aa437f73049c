"""The web application: SPARQL protocol, pages, dumps."""

from synthkg.web.app import create_app

__all__ = ["create_app"]

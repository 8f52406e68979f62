"""The load test: the demo district scaled to many schools, served by gunicorn on a scratch
PostgreSQL database and driven by locust (``keshi bench load``, ``make load``; docs/load.md)."""

"""Benchmarks of the application's hot paths, each beside a hand-written SQL floor.

Run by ``make bench`` (PostgreSQL only; not part of ``make test``):
``python -m bench run`` times every benchmark, ``python -m bench load`` runs locust against
gunicorn, ``python -m bench fill`` fills an empty database with ``generate_synthetic``.
See docs/PERFORMANCE.md for the targets and the last measured figures.
"""

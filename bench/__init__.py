"""Benchmarks of the guide: throughput against a bare ASGI app and nginx, page budget, load, Lighthouse.

Run with `make bench` (or `.venv/bin/python -m bench`, `--quick` for a smoke run). Every
number lands in docs/performance.md. All traffic goes to 127.0.0.1 only; every process the
run starts is stopped again, whatever happens.
"""

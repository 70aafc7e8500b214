"""Developer and CI tasks: ``nox -s lint typecheck tests`` (and ``bench``, ``demo``)."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def tests_dlt(session: nox.Session) -> None:
    """The dlt source and ``simotel load`` (DuckDB; PostgreSQL when its binaries exist)."""
    session.install("-e", ".[test,dlt]")
    session.run("pytest", "tests/dlt", *session.posargs)


OLDEST = ("httpx==0.28.0", "attrs==23.1.0", "cattrs==24.1.0")
"""The lower bounds pyproject.toml declares, tested here so they stay true."""


@nox.session
def tests_oldest(session: nox.Session) -> None:
    """The suite with the oldest httpx, attrs and cattrs the package accepts."""
    session.install("-e", ".[test]", *OLDEST)
    session.run("pytest", "-m", "not slow", *session.posargs)


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def tests_all(session: nox.Session) -> None:
    """The test suite on every supported Python (each must be on PATH)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "simotel_async", "tests", "benchmarks", "examples", "noxfile.py")
    session.run("ruff", "format", "--check", "simotel_async", "tests", "benchmarks", "examples")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install("-e", ".[typecheck]")
    session.run("mypy", "--strict", "simotel_async")


BENCHMARKS = ("decode", "overhead", "bulk_pull", "download", "export_memory")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: ratios against baselines measured in the same run (about 5 minutes).

    ``nox -s bench`` runs all five scripts; ``nox -s bench -- overhead download`` some.
    The peers compared against (simotel-connect, msgspec, aiohttp) are installed here only.
    """
    session.install("-e", ".[test,speed]")
    session.install("simotel-connect==1.0.6", "msgspec", "aiohttp")
    unknown = sorted(set(session.posargs) - set(BENCHMARKS))
    if unknown:
        session.error(f"unknown benchmarks {unknown}; choose from {', '.join(BENCHMARKS)}")
    for name in session.posargs or BENCHMARKS:
        session.run("python", f"benchmarks/{name}.py")

"""The ``xiang-ner`` command line (typer). Exit codes: 0 ok, 1 bad input, 2 usage."""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Entities and relations in Chinese regional news.")


def _register() -> None:
    """Import command modules; each adds its commands to ``app`` via ``register(app)``."""
    import importlib

    for name in ("extract_cmd", "corpus_cmds", "benchmark_cmd", "evaluate_cmd", "graph_cmd", "visualize_cmd"):
        try:
            mod = importlib.import_module(f"ner.cli.{name}")
        except ModuleNotFoundError as err:  # a command module not written yet
            if err.name != f"ner.cli.{name}":
                raise
            continue
        mod.register(app)


def main() -> None:
    _register()
    app()

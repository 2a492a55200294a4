"""`python -m generator`: the `sdkgen` command."""

from generator.cli import run

run()

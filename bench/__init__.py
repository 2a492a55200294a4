"""`make bench`: sdkgen against its peers on the same specs, and the speed of the SDKs it writes.

Scripts, not part of the `sdkgen` wheel: run them with `.venv/bin/python -m bench.run`.
"""

"""storywire's benchmark suite: ``python -m benchmarks.run [--quick] [--only NAME]``.

One module per benchmark; each exposes ``run(context) -> Result``. Results go to
``docs/benchmarks/<name>.json`` and ``<name>.md``; ``docs/benchmarks/README.md``
summarises them with the machine they ran on.
"""

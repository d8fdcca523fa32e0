"""The ``storywire`` command line (``storywire.services.cli:main``).

:mod:`.group` holds the command group; the verbs are in ``commands_*`` modules by purpose (the
pipeline on Redis, dead letters, the offline verbs, the contracts' documents, the harnesses), and
the work behind them in :mod:`.live`, :mod:`.offline`, :mod:`.dead_letters` and :mod:`.schemas`.
"""

from storywire.services.cli.group import main

__all__ = ["main"]

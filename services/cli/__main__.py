"""``python -m services.cli`` is the ``storywire`` command."""

from services.cli import main

main()

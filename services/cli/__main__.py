"""``python -m storywire.services.cli`` is the ``storywire`` command."""

from storywire.services.cli import main

main()

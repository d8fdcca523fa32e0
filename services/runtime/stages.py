"""The pipeline's stages by name, in order: each one's consumer group and dead-letter stream are
named after it.

Written here, below the services and with no imports, so that the runtime's figures and trimming
can name every stage and the registry (:mod:`storywire.services.registry`) takes its service names
from it without loading anything.
"""

from __future__ import annotations

from typing import Final

STAGES: Final = ("cleaner", "dedup", "summarizer")

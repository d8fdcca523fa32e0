"""storywire: clean news articles, detect stories across outlets, summarise them, on Redis streams.

``storywire.contracts`` holds the message contracts every producer and consumer shares;
``storywire.services`` the workers, their runtime and the command line. In a checkout both
are the top-level ``contracts/`` and ``services/`` folders (linked here); the wheel installs
them under this one import name.
"""

from storywire.services import __version__

__all__ = ["__version__"]

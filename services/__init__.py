"""storywire's workers (cleaner, dedup, summarizer), their shared runtime and CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("storywire")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

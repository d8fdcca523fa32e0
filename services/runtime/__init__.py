"""The runtime every worker shares: settings, streams, wire format, delivery."""

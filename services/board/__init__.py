"""The story board: a read-only web page of live stories, fed by Server-Sent Events."""

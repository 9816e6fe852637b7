"""`make bench`: the sync and the site measured on this machine, beside a peer (Datasette)."""

"""The views, one module a page family, with their JSON and the error pages: the only layer that
renders. May import every other layer."""

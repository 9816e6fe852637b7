"""Sync time: the sources and their trust boundary, the pipeline, the store and its generations,
the lease, the launcher, what a sync changed. May import objects.quality and objects.lwm2m."""

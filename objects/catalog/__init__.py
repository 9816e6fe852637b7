"""Request time, what a page reads: the live data's reads, the list's rows, index and search, the
resources, the ID space, owners, compares, all kept per sync. May import the layers below it."""

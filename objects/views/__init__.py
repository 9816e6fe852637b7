"""The browsing site's pages, by family: the object list and its exports (`lists`), an object's
pages (`object_pages`: its versions, their compare and their definition), and `health`."""

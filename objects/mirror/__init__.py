"""This site as a copy of the registry for tools: the Registry API's answers, the repository
layout, the conventions of /api/. May import objects.catalog and the layers below it."""

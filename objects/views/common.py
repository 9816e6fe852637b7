"""What every page family shares."""

from django.shortcuts import render


def not_found(request, message, query=""):
    """The site's 404 page, with a search for what was asked."""
    context = {"message": message, "query": query}
    return render(request, "404.html", context, status=404)

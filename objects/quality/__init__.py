"""Definition quality, at sync time and for an upload: the LwM2M schema and model rules, the
registry's guidelines. May import objects.lwm2m and the models."""

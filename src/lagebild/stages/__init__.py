"""Built-in pipeline stages, one module per stage (or two related ones).

Importing a module registers its stages (``@stage`` from :mod:`lagebild.pipeline`); the pipeline loads
the modules listed in :data:`lagebild.pipeline.STAGE_MODULES` by name when the stages are first needed,
so this package imports none of them and nothing imports the pipeline in a circle.
"""

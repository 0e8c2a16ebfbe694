"""The read-only web app over the archive: changes, articles, diffs, sources, feeds, JSON.

Build it with :func:`storyline.web.app.create_app`; ``storyline serve`` runs it under uvicorn.
"""

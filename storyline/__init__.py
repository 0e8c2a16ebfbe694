"""storyline."""

"""Long work done in the background (jobs): state, progress, result or error, and a log."""

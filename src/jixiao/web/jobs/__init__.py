"""Pages of background jobs: progress (polled by htmx), result, error and log."""

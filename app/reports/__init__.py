"""Annual report: figures, suppression, renderings."""

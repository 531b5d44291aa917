"""Models of the casebank app."""

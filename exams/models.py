"""Models of the exams app."""

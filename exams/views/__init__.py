"""Views of the exams app: officers (taking exams, results, wrong-question book) and
trainers (question bank, marking, item analysis)."""

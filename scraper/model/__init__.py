"""The leaves of the flow: typed postings and salaries, the salary parser, cities, the exception
types and the password masker. Everything else may import these; they import nothing of ours
beyond each other."""

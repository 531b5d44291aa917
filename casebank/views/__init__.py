"""Views of the casebank app: statutes, cases, power list and benchmarks, citation check."""

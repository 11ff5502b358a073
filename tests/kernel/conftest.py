def pytest_terminal_summary(terminalreporter):
    """One line for the schema fuzzing (test_schema_fuzz.py): generated cases and their answers,
    summed over the xdist workers from each test's recorded property."""
    totals = {}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", ()):
                if name == "schema_fuzz" and report.when == "call":
                    for key, count in value.items():
                        totals[key] = totals.get(key, 0) + count
    if totals:
        terminalreporter.write_line(
            "schema fuzzing: {cases} cases, {2xx} 2xx, {3xx} 3xx, {4xx} 4xx, {5xx} 5xx".format(
                **totals))

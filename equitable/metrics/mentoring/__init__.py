"""Mentoring with matching: a pool of mentors and mentees (pool.py), a weighted score for every
allowed pair (scoring.py), and the whole-pool optimum beside a greedy matching (matching.py).
Pure library: no Django; the `equitable mentoring match` command (cli.py) and the mentoring app
both call it."""

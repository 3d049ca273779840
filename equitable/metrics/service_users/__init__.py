"""Service users and complaints by protected characteristic (issue 19): pure library."""

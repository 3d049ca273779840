"""Training records and compliance (issue 16): the file format (records), the compliance
figures against a workforce snapshot (compliance), and `equitable training` (cli).

Pure package: polars, no Django."""

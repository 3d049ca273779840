"""Plain helpers (no Django) for files that come in and go out: bounds on what an upload may
inflate to (`limits`) and the one writer every CSV and XLSX export goes through."""

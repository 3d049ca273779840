"""Publications: figures released to the public, safe across every year they are published.
Pure library (polars, no Django); `release` is the one step a publication's tables pass
through."""

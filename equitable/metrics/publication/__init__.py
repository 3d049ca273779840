"""Publishing figures outside the organisation: the release step every publication goes through."""

"""Service users and complaints by protected characteristic, against the borough's residents."""

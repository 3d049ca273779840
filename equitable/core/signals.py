"""Signals between apps, for the one case where a plain call would go the wrong way round.

`figures_changed` is sent, with the organisation, whenever the workforce figures an
organisation's other figures are computed from change: a snapshot stored, replaced or deleted,
a new population benchmark, a new suppression threshold or rounding. The actions app keeps its
computed measure values (exact and protected) up to date from it, so pages and the API show
the same stored value and no GET request rewrites data. Sent with `send`, never `send_robust`:
a receiver's error is the sender's error.
"""

from django.dispatch import Signal

figures_changed = Signal()

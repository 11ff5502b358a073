"""Events contracts announces to the apps above it (ratings, cms connect receivers in ready()).

`credit_incident(sender=CreditIncident, incident)`: a refusal to sign or a late delivery was
recorded; sent inside the recording transaction.
`contract_closed(sender=Contract, contract)`: the contract became completed or terminated (the
rating window opens); sent inside the transaction.
"""

from django.dispatch import Signal

credit_incident = Signal()
contract_closed = Signal()

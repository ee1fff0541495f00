"""What every endpoint of the REST API shares: permissions, errors, pagination, ETags.

Kept small on purpose: each app's ``api/views.py`` declares a queryset, a serializer and a
FilterSet, and calls its services for writes; this module only holds the conventions.

The error shape, for every 4xx answer::

    {"detail": "A sentence saying what went wrong.",
     "code": "invalid",
     "errors": {"field": ["message", …], "movements.2.to_post": ["message"]}}

``errors`` is present when the problem is about fields; keys of movements are
``movements.<line>.<field>`` with the line number of the decision (from 1).
"""

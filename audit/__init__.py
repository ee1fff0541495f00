"""The audit trail: who changed which record, when, from which request, and why.

Every model of communes, cadres and rotation keeps its history with django-simple-history
(``history = AuditedHistory()``); this app adds where each change came from, the reason
given for it, and the history pages of the admin and the API.
"""

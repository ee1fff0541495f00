"""Messages of Django's own admin that its Vietnamese catalogue does not translate.

Django 5.2 asks for "Please correct the error below." as a plural message, which Django's
Vietnamese catalogue holds only as two singular ones, and leaves the navigation sidebar's
two labels untranslated; so HR staff would read English on a Vietnamese page. Listing them
here lets ``make messages`` extract them into ``locale/vi``, whose translations take
precedence over Django's. Nothing imports this module.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN_MESSAGES = (
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", "n"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Filter navigation items"),
)

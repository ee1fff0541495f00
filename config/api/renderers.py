"""The browsable API, under the site's Content Security Policy.

DRF's own templates (``rest_framework/base.html``, ``login_base.html``) carry inline
``style`` attributes and, with Pygments installed, an inline ``<style>``. Rather than copy
and edit those templates, their pages alone may use inline styles; scripts stay limited to
this site's files on every page.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from rest_framework import renderers

# ``replace``, not ``update``: a nonce next to 'unsafe-inline' would switch it off.
DRF_STYLES = {"style-src": [SELF, UNSAFE_INLINE]}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        html = super().render(data, accepted_media_type, renderer_context)
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_replace = DRF_STYLES
        return html

"""System check: the configured local/non-local rule names places a cadre record has."""

from django.conf import settings
from django.core.checks import Error, register

from cadres.locality import BASES


@register()
def check_locality_bases(app_configs, **kwargs):
    bases = tuple(getattr(settings, "CADRE_LOCALITY_BASES", ()))
    unknown = sorted(set(bases) - set(BASES))
    if unknown or not bases:
        return [
            Error(
                f"CADRE_LOCALITY_BASES must list one or more of {', '.join(BASES)}; "
                f"got {', '.join(bases) or 'nothing'}.",
                hint="Set the CADRE_LOCALITY_BASES environment variable, e.g. "
                "'hometown,permanent_residence'.",
                id="cadres.E001",
            )
        ]
    return []

"""gunicorn's settings (``make serve``; in production: ``gunicorn -c config/gunicorn.conf.py``).

The application is ``config.wsgi`` (production settings unless DJANGO_SETTINGS_MODULE says
otherwise); static files are served by WhiteNoise inside it. The address comes from the
command line (``--bind``) or GUNICORN_CMD_ARGS, the number of workers from WEB_CONCURRENCY.
Requests are logged to standard output, errors to standard error, both through
``config.logs.RedactPersonalIds``: a personal identification number in a URL (``?q=…``) is
never written.
"""

import os

from gunicorn.glogging import Logger

from config.logs import RedactPersonalIds

wsgi_app = "config.wsgi:application"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
errorlog = "-"
# No runtime control socket (``gunicornc``): nothing to manage the server from outside, and
# no clash between two servers of the same user.
control_socket_disable = True


class RedactingLogger(Logger):
    """gunicorn's logger, with the redaction filter on each of its handlers."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactPersonalIds) for f in handler.filters):
                    handler.addFilter(RedactPersonalIds())


logger_class = RedactingLogger

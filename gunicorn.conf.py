"""gunicorn settings: two workers, no access log (it would hold client IPs), no version."""
import gunicorn

bind = "127.0.0.1:8000"
workers = 2
accesslog = None
errorlog = "-"
loglevel = "warning"
# The Server header otherwise names gunicorn's version.
gunicorn.SERVER = "aid"

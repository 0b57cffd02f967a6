"""gunicorn settings: two workers of four threads, no access log (it would hold client IPs and
status links), no version in the Server header."""
import gunicorn

bind = "127.0.0.1:8000"
workers = 2
# Threads keep a worker busy while another request waits on a commit's fsync or a slow phone;
# measured with benchmarks/intake_bench.py: PostgreSQL 153/s with sync workers, 232/s with these.
worker_class = "gthread"
threads = 4
accesslog = None
errorlog = "-"
loglevel = "warning"
# Its error log would name client addresses ("Invalid request from ip=..."): strip them.
logger_class = "aid.logs.GunicornLogger"
# The Server header otherwise names gunicorn's version.
gunicorn.SERVER = "aid"

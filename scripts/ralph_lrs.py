"""Starts ralph's LRS (xAPI 1.0.3) on 127.0.0.1 with the file-system backend, for kru's tests
and `cargo xtask lrs`. Run with the Python of the venv `cargo xtask lrs` installs:

    python scripts/ralph_lrs.py --dir DIR --port PORT --user USER --password PASSWORD \
        [--cors-origin http://127.0.0.1:8080 ...]

DIR holds everything: `app/auth.json` (the one Basic-auth account, all scopes) and
`data/fs_lrs.jsonl` (the statements). Existing statements in DIR are kept, so a server killed
and started again on the same DIR has what it had.

`--cors-origin` (repeatable) lets a web app served from that origin (scheme://host:port, no
path) call the LRS from the browser: ralph 5.1.0 adds Starlette's CORS middleware when its
setting `RUNSERVER_CORS_ALLOW_ORIGINS` (environment `RALPH_RUNSERVER_CORS_ALLOW_ORIGINS`, a
JSON list) is not empty, allowing the headers Authorization, Content-Type and
X-Experience-API-Version (ralph/api/__init__.py, ralph/conf.py).

ralph's file-system backend writes with CREATE by default and so accepts only one write: this
launcher switches it to APPEND, then runs uvicorn directly (no reloader processes to clean up).
"""

import argparse
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--cors-origin", action="append", default=[])
    args = ap.parse_args()

    base = os.path.abspath(args.dir)
    app, data = os.path.join(base, "app"), os.path.join(base, "data")
    os.makedirs(app, exist_ok=True)
    os.makedirs(data, exist_ok=True)
    # ralph reads its settings from the environment when first imported.
    os.environ["RALPH_APP_DIR"] = app
    os.environ["RALPH_RUNSERVER_BACKEND"] = "fs"
    os.environ["RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH"] = data
    if args.cors_origin:
        os.environ["RALPH_RUNSERVER_CORS_ALLOW_ORIGINS"] = json.dumps(args.cors_origin)
    os.chdir(data)  # the statements file lands in the working directory

    if not os.path.exists(os.path.join(app, "auth.json")):
        ralph = os.path.join(os.path.dirname(sys.executable), "ralph")
        subprocess.run(
            [ralph, "auth", "-u", args.user, "-p", args.password, "-s", "all",
             "-M", f"mailto:{args.user}@example.org", "-w"],
            check=True, stdout=subprocess.DEVNULL,
        )

    import uvicorn
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.data.fs import FSDataBackend

    FSDataBackend.default_operation_type = BaseOperationType.APPEND
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()

"""Runs coldsweat (the Fever API server of the sync tests) in one process per test worker:
its web app on 127.0.0.1:PORT (argv[1]), and on stdin one JSON command per line, each
answered "ok" on stdout, doing what `coldsweat setup`, `coldsweat import -f` and `coldsweat
fetch` do, without paying coldsweat's start-up for every test. Run with coldsweat's Python.

    {"op": "user", "email": E, "password": P}           a new user (setup)
    {"op": "import", "email": E, "opml": PATH}           subscribe and fetch (import -f)
    {"op": "fetch", "email": E}                          fetch the user's feeds now
"""

import json
import logging
import sys
import threading

import coldsweat.feed as feed
import coldsweat.models as models
from coldsweat import create_app
from coldsweat.models import Feed, Subscription, User
from werkzeug import security
from werkzeug.serving import make_server

logging.disable(logging.WARNING)  # favicon fetches fail offline: harmless, and noisy
app = create_app()
with app.app_context():
    models.setup()
server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()


def run(command):
    user = User.get_or_none(User.email == command["email"])
    if command["op"] == "user":
        password = command["password"]
        User.create(
            email=command["email"],
            password_hash=security.generate_password_hash(password),
            fever_api_key=User.make_fever_api_key(command["email"], password),
        )
    elif command["op"] == "import":
        feeds = feed.add_feeds_from_opml(command["opml"])
        for f, g in feeds:
            feed.add_subscription(user, f, g)
        feed.fetch_feeds([f for f, _ in feeds])
    elif command["op"] == "fetch":
        # coldsweat skips feeds checked in the last three minutes: forget when that was.
        feeds = list(Feed.select().join(Subscription).where(Subscription.user == user))
        for f in feeds:
            f.last_checked_on = f.last_updated_on = None
            f.save()
        feed.fetch_feeds(feeds)


print("ready", flush=True)
for line in sys.stdin:
    with app.app_context():
        run(json.loads(line))
    print("ok", flush=True)

#!/bin/bash
# ttrss-up.sh - start a private, loopback-only Tiny Tiny RSS server for newsdesk's sync tests
# (tests/sync/) and CI (.ci/run). Each test creates its own user (tests/sync/ttrss_server.py).
#
# Runs as root on Debian 12 (bookworm), fully non-interactive, idempotent:
#   1. apt-installs Debian's tt-rss (21~git20210204) + PHP + PostgreSQL 15, without Apache
#      and without dbconfig-common (skipped if already installed);
#   2. runs a private PostgreSQL cluster (OS user "postgres") under $STATE, TCP on
#      127.0.0.1:$PG_PORT plus a unix socket in $STATE/pg/sock;
#   3. writes /etc/tt-rss/database.php + edits /etc/tt-rss/config.php (old define()-style
#      config, CONFIG_VERSION 26), loads the schema, sets the admin password and turns on
#      the ENABLE_API_ACCESS pref;
#   4. starts PHP's built-in web server as www-data on 127.0.0.1:$HTTP_PORT (TT-RSS refuses
#      to run as root) and writes its pid to $STATE/php-server.pid.
# Stop it with ttrss-down.sh (same environment variables).
#
# Feed fetching: stock TT-RSS refuses feed URLs on localhost/127.*/::1 and on ports other
# than 80/443 (hard-coded in UrlHelper::fetch, no setting), and this version also drops
# the port from subscribed URLs. With TTRSS_LOOPBACK_ANY_PORT=1 (default) this script
# adds a small system plugin (loopback_fetch) and a one-line port fix so feeds on any
# loopback port work (e.g. http://127.0.0.1:8765/feed.xml). With 0, the code stays
# stock, and test feeds must be served at http://[::1]/... on port 80.
set -euo pipefail

# ---- settings (override from the environment) -------------------------------------
STATE=${TTRSS_STATE:-/tmp/ttrss/state}          # cluster, logs and pid files live here
PG_PORT=${TTRSS_PG_PORT:-55432}                 # private PostgreSQL port (127.0.0.1)
HTTP_PORT=${TTRSS_HTTP_PORT:-8280}              # TT-RSS web/API port (127.0.0.1)
TT_USER=${TTRSS_USER:-admin}                    # TT-RSS login with API access
TT_PASS=${TTRSS_PASS:-password}
DB_NAME=ttrss DB_USER=ttrss
DB_PASS=${TTRSS_DB_PASS:-ttrss-db-pw}
ANY_PORT=${TTRSS_LOOPBACK_ANY_PORT:-1}          # 1: allow feeds on any loopback port
CATEGORIES=${TTRSS_CATEGORIES-News,Tech}        # feed categories to create (the API can't)
WWW=/usr/share/tt-rss/www                       # document root shipped by the package
RUNAS=www-data                                  # owner of /var/lib/tt-rss, /var/cache/tt-rss
API=http://127.0.0.1:$HTTP_PORT/api/

log() { echo "[ttrss-up +$(( $(date +%s) - T0 ))s] $*"; }
# true if the pid exists and is not a zombie (PID 1 here may not reap promptly)
alive() { [ -n "${1:-}" ] && [ -e "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

T0=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# ---- 1. packages ---------------------------------------------------------------------
# Only missing packages are named, so apt does not upgrade ones already installed.
PKGS=""
for p in tt-rss php-cli php8.2-cgi php-cgi php-pgsql php-curl dbconfig-no-thanks postgresql-15 curl; do
    dpkg -s $p 2>/dev/null | grep -q '^Status: install ok installed' || PKGS="$PKGS $p"
done
if [ -n "$PKGS" ]; then
    log "installing packages:$PKGS"
    export DEBIAN_FRONTEND=noninteractive
    # No database setup by dbconfig-common, no web server reconfiguration.
    debconf-set-selections <<EOF
tt-rss tt-rss/dbconfig-install boolean false
tt-rss tt-rss/reconfigure-webserver multiselect
tt-rss tt-rss/self_url_path string http://127.0.0.1:$HTTP_PORT/
EOF
    # Keep maintainer scripts from starting services (tt-rss's update daemon, the
    # system postgres cluster) if this machine has no policy-rc.d of its own.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # removed again when this script ends
    fi
    # php8.2 depends on "libapache2-mod-php8.2 | php8.2-fpm | php8.2-cgi"; apt picks
    # Apache unless it is explicitly excluded (only exclude what is not installed).
    NOAPACHE=""
    for p in apache2-bin libapache2-mod-php8.2; do
        dpkg -s $p >/dev/null 2>&1 || NOAPACHE="$NOAPACHE $p-"
    done
    apt-get update -q
    apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        $PKGS $NOAPACHE
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

# ---- 2. TT-RSS configuration ----------------------------------------------------------
# config.php includes /etc/tt-rss/database.php (normally written by dbconfig-common).
cat > /etc/tt-rss/database.php <<EOF
<?php
\$dbuser='$DB_USER';
\$dbpass='$DB_PASS';
\$basepath='';
\$dbname='$DB_NAME';
\$dbserver='127.0.0.1';
\$dbport='$PG_PORT';
\$dbtype='pgsql';
EOF
chown root:$RUNAS /etc/tt-rss/database.php; chmod 640 /etc/tt-rss/database.php

PLUGINS="auth_internal, note"
[ "$ANY_PORT" = 1 ] && PLUGINS="$PLUGINS, loopback_fetch"
CFG=/etc/tt-rss/config.php
sed -i -e "s|define('SELF_URL_PATH', '[^']*');|define('SELF_URL_PATH', 'http://127.0.0.1:$HTTP_PORT/');|" \
       -e "s|define('LOG_DESTINATION', '[^']*');|define('LOG_DESTINATION', '');|" \
       -e "s|define('PLUGINS', '[^']*');|define('PLUGINS', '$PLUGINS');|" "$CFG"
# Accept requests whatever Host header is used (127.0.0.1, localhost, ...).
grep -q "_SKIP_SELF_URL_PATH_CHECKS" "$CFG" ||
    printf "\n\tdefine('_SKIP_SELF_URL_PATH_CHECKS', true);\n" >> "$CFG"

# Loopback feeds on any port: system plugin + keep the port in UrlHelper::build_url().
URLHELPER=$WWW/classes/urlhelper.php
if [ "$ANY_PORT" = 1 ]; then
    grep -q "local patch: keep the port" "$URLHELPER" ||
        sed -i "s|^\(\t\t\$tmp = \$parts\['scheme'\] . \"://\" . \$parts\['host'\];\)$|\1\n\t\tif (isset(\$parts['port'])) \$tmp .= ':' . \$parts['port']; // local patch: keep the port|" "$URLHELPER"
    grep -q "local patch: keep the port" "$URLHELPER" || { echo "port patch failed" >&2; exit 1; }
    mkdir -p $WWW/plugins.local/loopback_fetch
    cat > $WWW/plugins.local/loopback_fetch/init.php <<'EOF'
<?php
/* loopback_fetch: test-only system plugin. Fetches feeds whose host is localhost, 127.*
 * or [::1] (any port), which UrlHelper::fetch refuses; other URLs are left to TT-RSS. */
class Loopback_Fetch extends Plugin {
	function about() { return array(1.0, "Fetch feeds from loopback URLs (test use only)", "local", true); }
	function api_version() { return 2; }
	function init($host) {
		$host->add_hook($host::HOOK_SUBSCRIBE_FEED, $this);
		$host->add_hook($host::HOOK_FEED_BASIC_INFO, $this);
		$host->add_hook($host::HOOK_FETCH_FEED, $this);
	}
	private static function is_loopback($url) {
		$p = parse_url($url);
		if (!$p || empty($p['host']) || !in_array(strtolower($p['scheme'] ?? ''), ['http', 'https'])) return false;
		$h = strtolower(trim($p['host'], '[]'));
		return $h == 'localhost' || $h == '::1' || strpos($h, '127.') === 0;
	}
	private static function get($url, $login = '', $pass = '') {
		global $fetch_last_error, $fetch_last_content_type, $fetch_last_error_code;
		$ch = curl_init($url);
		curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
		curl_setopt($ch, CURLOPT_FOLLOWLOCATION, false);
		curl_setopt($ch, CURLOPT_CONNECTTIMEOUT, 5);
		curl_setopt($ch, CURLOPT_TIMEOUT, 15);
		curl_setopt($ch, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
		curl_setopt($ch, CURLOPT_ENCODING, "");
		curl_setopt($ch, CURLOPT_USERAGENT, SELF_USER_AGENT);
		if ($login) {
			curl_setopt($ch, CURLOPT_HTTPAUTH, CURLAUTH_ANY);
			curl_setopt($ch, CURLOPT_USERPWD, "$login:$pass");
		}
		$body = curl_exec($ch);
		$code = curl_getinfo($ch, CURLINFO_HTTP_CODE);
		$fetch_last_content_type = (string) curl_getinfo($ch, CURLINFO_CONTENT_TYPE);
		$fetch_last_error_code = $code;
		$err = curl_error($ch);
		curl_close($ch);
		if ($body === false || $code != 200) {
			$fetch_last_error = "loopback_fetch: HTTP $code $err";
			return false;
		}
		$fetch_last_error = false;
		return trim($body);
	}
	function hook_subscribe_feed($contents, $url, $auth_login, $auth_pass) {
		if (!$contents && self::is_loopback($url)) return self::get($url, $auth_login, $auth_pass);
		return $contents;
	}
	function hook_feed_basic_info($basic_info, $fetch_url, $owner_uid, $feed_id, $auth_login, $auth_pass) {
		if ($basic_info || !self::is_loopback($fetch_url)) return $basic_info;
		$data = self::get($fetch_url, $auth_login, $auth_pass);
		if (!$data) return $basic_info;
		$rss = new FeedParser($data);
		$rss->init();
		if ($rss->error()) return $basic_info;
		return array('title' => mb_substr(clean($rss->get_title()), 0, 199),
			'site_url' => mb_substr(rewrite_relative_url($fetch_url, clean($rss->get_link())), 0, 245));
	}
	function hook_fetch_feed($feed_data, $fetch_url, $owner_uid, $feed, $last_article_timestamp, $auth_login, $auth_pass) {
		if (!$feed_data && self::is_loopback($fetch_url)) {
			$data = self::get($fetch_url, $auth_login, $auth_pass);
			if ($data) return $data;
		}
		return $feed_data;
	}
}
EOF
else
    # stock behaviour: undo the local changes if an earlier run made them
    sed -i '/local patch: keep the port/d' "$URLHELPER"
    rm -rf $WWW/plugins.local/loopback_fetch
fi

# ---- 3. private PostgreSQL cluster ------------------------------------------------------
mkdir -p "$STATE/pg"; chmod 755 "$STATE"; chown postgres:postgres "$STATE/pg"
PGDATA=$STATE/pg/data PGSOCK=$STATE/pg/sock
pgsu() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    log "initdb $PGDATA"
    pgsu "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 > "$STATE/pg/initdb.log"
fi
pgsu mkdir -p "$PGSOCK"
if ! pgsu "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    log "starting postgres on 127.0.0.1:$PG_PORT"
    pgsu "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STATE/pg/postgres.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGSOCK" start >/dev/null
fi
head -1 "$PGDATA/postmaster.pid" > "$STATE/postgres.pid"   # the postmaster's pid
PSQL_SU="psql -h $PGSOCK -p $PG_PORT -U postgres -X -q -v ON_ERROR_STOP=1"
PSQL_TT="env PGPASSWORD=$DB_PASS psql -h 127.0.0.1 -p $PG_PORT -U $DB_USER -d $DB_NAME -X -q -v ON_ERROR_STOP=1"
if [ -z "$(pgsu $PSQL_SU -Atc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" ]; then
    pgsu $PSQL_SU -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS'"
fi
if [ -z "$(pgsu $PSQL_SU -Atc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" ]; then
    pgsu $PSQL_SU -c "CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
fi

# ---- 4. schema, user, API access ----------------------------------------------------------
if [ -z "$($PSQL_TT -Atc "SELECT to_regclass('ttrss_version')")" ]; then
    log "loading schema"
    # The package ships the full schema (version 140); update.php only does upgrades.
    $PSQL_TT -f /usr/share/tt-rss/schema/ttrss_schema_pgsql.sql > "$STATE/schema.log" 2>&1
fi
( cd $WWW && runuser -u $RUNAS -- php update.php --update-schema=force-yes 2>/dev/null | tail -1 )
# Create the user if needed, set its password (MODE2 = sha256(salt . password), with a
# salt derived from the password so reruns keep existing API sessions valid), copy the
# default prefs to it (TT-RSS does this only at first login, but API login checks
# ENABLE_API_ACCESS before that) and enable the API.
$PSQL_TT -v u="$TT_USER" -v p="$TT_PASS" <<'EOF'
INSERT INTO ttrss_users (login, pwd_hash, access_level, created)
  SELECT :'u', '', 10, NOW() WHERE NOT EXISTS (SELECT 1 FROM ttrss_users WHERE login = :'u');
UPDATE ttrss_users SET salt = md5('ttrss-test' || :'p'),
  pwd_hash = 'MODE2:' || encode(sha256(convert_to(md5('ttrss-test' || :'p') || :'p', 'UTF8')), 'hex')
  WHERE login = :'u';
INSERT INTO ttrss_user_prefs (owner_uid, pref_name, value, profile)
  SELECT u.id, p.pref_name, p.def_value, NULL FROM ttrss_prefs p, ttrss_users u
  WHERE u.login = :'u' AND NOT EXISTS (SELECT 1 FROM ttrss_user_prefs up
      WHERE up.owner_uid = u.id AND up.pref_name = p.pref_name AND up.profile IS NULL);
UPDATE ttrss_user_prefs SET value = 'true'
  WHERE pref_name = 'ENABLE_API_ACCESS' AND profile IS NULL
    AND owner_uid = (SELECT id FROM ttrss_users WHERE login = :'u');
EOF
# Categories, created once each (API level 15 has no call to create one).
IFS=',' read -ra CATS <<< "$CATEGORIES"
for c in "${CATS[@]}"; do
    $PSQL_TT -v u="$TT_USER" -v c="$c" <<'EOF'
INSERT INTO ttrss_feed_categories (owner_uid, title)
  SELECT id, :'c' FROM ttrss_users u WHERE login = :'u' AND NOT EXISTS
    (SELECT 1 FROM ttrss_feed_categories fc WHERE fc.owner_uid = u.id AND fc.title = :'c');
EOF
done
CAT_IDS=$($PSQL_TT -v u="$TT_USER" -At -F= <<'EOF' | paste -sd' '
SELECT fc.title, fc.id FROM ttrss_feed_categories fc JOIN ttrss_users u ON u.id = fc.owner_uid
  WHERE u.login = :'u' ORDER BY fc.id;
EOF
)

# ---- 5. PHP built-in web server (as www-data, loopback only) --------------------------------
if ! alive "$(cat "$STATE/php-server.pid" 2>/dev/null)"; then
    log "starting php -S 127.0.0.1:$HTTP_PORT"
    # setsid: own process group, so ttrss-down.sh can stop the workers with the master.
    # setpriv execs php directly, so $! is the php master's pid.
    cd $WWW
    PHP_CLI_SERVER_WORKERS=4 setsid setpriv --reuid=$RUNAS --regid=$RUNAS --init-groups \
        php -d display_errors=0 -S 127.0.0.1:$HTTP_PORT -t $WWW \
        >> "$STATE/php-server.log" 2>&1 < /dev/null &
    echo $! > "$STATE/php-server.pid"
    cd - >/dev/null
fi
for i in $(seq 50); do
    curl -sf -o /dev/null -d '{"op":"isLoggedIn"}' "$API" && break
    sleep 0.2
done

# ---- 6. check: log in through the API ------------------------------------------------------
REPLY=$(curl -s "$API" --data-binary @- <<EOF
{"op":"login","user":"$TT_USER","password":"$TT_PASS"}
EOF
)
case "$REPLY" in
    *'"status":0'*) log "API login OK" ;;
    *) echo "API login failed: $REPLY (see $STATE/php-server.log)" >&2; exit 1 ;;
esac

cat <<EOF
TTRSS_API_URL=$API
TTRSS_USER=$TT_USER
TTRSS_PASSWORD=$TT_PASS
# categories (title=id): ${CAT_IDS:-none}
# php server pid: $(cat "$STATE/php-server.pid") ($STATE/php-server.pid), postgres pid: $(cat "$STATE/postgres.pid") ($STATE/postgres.pid)
# fetch due feeds now:  cd $WWW && runuser -u $RUNAS -- php update.php --feeds
# refetch all feeds:    cd $WWW && runuser -u $RUNAS -- php update.php --force-update --feeds
# (or API op updateFeed with feed_id). Feeds: $( [ "$ANY_PORT" = 1 ] && echo "any loopback URL, e.g. http://127.0.0.1:8765/feed.xml" || echo "serve them at http://[::1]/... on port 80" )
# done in $(( $(date +%s) - T0 ))s
EOF

# Town power portal (townadmin) — production image.
#
# One image runs every role; docker-compose.yml picks the command:
#   web     gunicorn townadmin.wsgi:application (the default CMD below)
#   worker  celery -A townadmin worker
#   beat    celery -A townadmin beat
#   migrate python manage.py migrate, then copies /app/staticfiles to nginx's volume
#
# Stages: "base" (runtime OS packages + user), "builder" (virtualenv from the
# hash-pinned requirements), "assets" (compiled translations + collectstatic),
# and the final image, which gets the virtualenv and the built tree but none of
# the build-only tools. Only classic Dockerfile features are used, so the legacy
# builder that docker-compose 1.29 drives works as well as BuildKit.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=townadmin.settings \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    TOWNADMIN_DATA_DIR=/app/data \
    WEB_CONCURRENCY=3

# Shared libraries for PDF rendering with WeasyPrint, plus CJK fonts so Chinese
# text renders in generated documents. psycopg2-binary bundles libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user. /app (the code) stays owned by root and read-only
# for it; it may write only to its home, /app/data (TOWNADMIN_DATA_DIR; celery
# beat's schedule, a volume in compose) and /srv/static (the mount point of the
# static volume the migrate service fills).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# ---------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv

# Requirements first, so code changes do not invalidate the dependency layer.
COPY requirements/base.txt /tmp/requirements/base.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements/base.txt

# ---------------------------------------------------------------------------
FROM base AS assets

# gettext only for compilemessages; it does not reach the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

COPY --from=builder /opt/venv /opt/venv
COPY . /app

# Production settings refuse to start without SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL; these throw-away values exist only for this RUN step (they are
# not ENV, so they are not in the image). Neither command connects to the DB or
# the broker; CELERY_BROKER_URL is set only so that the settings do not create
# the development filesystem-broker folders under TOWNADMIN_DATA_DIR.
RUN set -eu; \
    export DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
        DATABASE_URL=postgres://build@localhost/build \
        CELERY_BROKER_URL=redis://localhost:6379/0; \
    if find . -name '*.po' -not -path './node_modules/*' | grep -q .; then \
        python manage.py compilemessages; \
    fi; \
    python manage.py collectstatic --noinput

# ---------------------------------------------------------------------------
FROM base AS runtime

COPY --from=builder /opt/venv /opt/venv
COPY --from=assets /app /app

RUN mkdir -p /app/data /srv/static \
    && chown app:app /app/data /srv/static

USER app

EXPOSE 8000

# Workers come from WEB_CONCURRENCY (gunicorn reads it; default 3 above, override
# in .env). Extra flags can be given in GUNICORN_CMD_ARGS, e.g. "--timeout 120".
# Port 8000 is reachable only from nginx on the compose network, so proxy
# headers are trusted from any address there.
CMD ["gunicorn", "townadmin.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--forwarded-allow-ips", "*", \
     "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]

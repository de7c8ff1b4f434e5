# syntax=docker/dockerfile:1
# Catalyst images. Targets:
#   app   (default, last stage)  gunicorn + gevent app process; also runs the worker and the CLI
#   proxy                        nginx with the rendered config and the static files baked in
# Base images are pinned by exact tag and by the digest of their multi-platform index.
# No secret is baked in: every one comes from the environment at run time (.env.example).

# --- browser libraries, from package-lock.json (same script as `make vendor`) -------------------
FROM node:22.21.1-bookworm-slim@sha256:25b3eb23a00590b7499f2a2ce939322727fcce1b15fdd69754fcd09536a3ae2c AS vendor
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/vendor.sh scripts/vendor-files.txt scripts/
RUN ./scripts/vendor.sh

# --- Python wheels, built where compilers are allowed ---------------------------------------------
FROM python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3 AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt ./
RUN pip wheel --wheel-dir /wheels -r requirements.txt \
    && cp requirements.txt /wheels/requirements.txt

# --- reverse proxy -------------------------------------------------------------------------------
FROM nginx:1.28.0-alpine@sha256:30f1c0d78e0ad60901648be663a710bdadf19e4c10ac6782c235200619158284 AS proxy
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY static/ /srv/catalyst/static/
COPY --from=vendor /build/static/vendor/ /srv/catalyst/static/vendor/
RUN rm -f /etc/nginx/conf.d/default.conf \
    && mkdir -p /etc/nginx/certs /var/www/acme
EXPOSE 80 443
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1/nginx-health || exit 1

# --- application (final stage: no compilers, no build tools, not root) ----------------------------
FROM python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3 AS app
LABEL org.opencontainers.image.title="catalyst" \
      org.opencontainers.image.description="Executive agent console (Flask + Flask-SocketIO on gevent)" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
RUN groupadd --system --gid 10001 catalyst \
    && useradd --system --uid 10001 --gid catalyst --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin catalyst
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links=/wheels \
       -r /wheels/requirements.txt
WORKDIR /app
# Code stays owned by root (read-only for the app); only instance/ is the app's to write.
COPY . /app/
COPY --from=vendor /build/static/vendor/ /app/static/vendor/
RUN mkdir -p /app/instance && chown catalyst:catalyst /app/instance
USER 10001:10001
EXPOSE 8000
# The probe claims https as nginx would; otherwise production's force_https answers with a redirect.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), headers={'X-Forwarded-Proto': 'https'}), timeout=4)" || exit 1
CMD ["gunicorn", "-c", "gunicorn.conf.py"]

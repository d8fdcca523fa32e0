# One image for every storywire worker: `storywire run cleaner|dedup|summarizer`.
# Build: docker build -t storywire:0.1.0 .   (see deploy/README.md)
# PYTHON_IMAGE: any Debian-based image with Python 3.11 on PATH as `python`; the container tests build
# on a local Debian base (tests/containers/setup-engine.sh).
ARG PYTHON_IMAGE=python:3.11-slim

# --- build: a virtualenv with the hash-pinned dependencies, then the project itself ---
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/storywire
# Dependencies first, so a source change does not reinstall them.
COPY requirements.lock ./
RUN /opt/storywire/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
# The project's own files: .dockerignore leaves out tests, docs and local state, so whatever the
# package is made of (sources, package data) comes along without naming it here.
COPY . .
RUN /opt/storywire/bin/pip install --no-cache-dir --no-deps .

# --- runtime: no compiler, no pip cache, no root ---
FROM ${PYTHON_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="storywire" \
      org.opencontainers.image.description="storywire workers: clean, deduplicate and summarise news articles on Redis streams" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 storywire \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/storywire \
      --shell /usr/sbin/nologin storywire
COPY --from=build /opt/storywire /opt/storywire
ENV PATH=/opt/storywire/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    STORYWIRE_HTTP_HOST=0.0.0.0 \
    STORYWIRE_HTTP_PORT=8000
USER 10001:10001
WORKDIR /home/storywire
EXPOSE 8000
# Liveness only (process up); readiness (/readyz) is for the orchestrator to ask.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('STORYWIRE_HTTP_PORT', '8000'), timeout=3)"]
ENTRYPOINT ["storywire"]
CMD ["run"]

# One image for every storywire worker: `storywire run cleaner|dedup|summarizer`.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY contracts contracts
COPY services services
RUN python -m venv /opt/storywire \
 && /opt/storywire/bin/pip install --require-hashes -r requirements.lock \
 && /opt/storywire/bin/pip install --no-deps .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 storywire
COPY --from=build /opt/storywire /opt/storywire
ENV PATH=/opt/storywire/bin:$PATH PYTHONUNBUFFERED=1
USER storywire
WORKDIR /home/storywire
ENTRYPOINT ["storywire"]
CMD ["run"]

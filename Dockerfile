# The engine's image: the `ocop` command (worker, api, migrate, actor, verify, history, rebuild).
# Used by docker-compose.yml; build with `docker build -t ocop-engine .`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OCOP_LOG_FORMAT=json

# The engine runs as an unprivileged user with no login shell and owns nothing in the image.
RUN groupadd --system --gid 10001 ocop \
    && useradd --system --uid 10001 --gid ocop --no-create-home --shell /usr/sbin/nologin ocop

# A regular (not editable) install: the code lives in site-packages, /src is removed.
COPY . /src
RUN pip install /src && rm -rf /src

USER ocop:ocop
EXPOSE 8000
ENTRYPOINT ["ocop"]
CMD ["--help"]

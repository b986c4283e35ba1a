# One image for every vanthu service and worker; the command chooses which:
#   vanthu serve intake|docgen|archive     vanthu worker intake|docgen|archive
#   vanthu migrate all                      (the Kubernetes Job, before a rollout)
# Debian 12 like a single-machine install; the system packages are the `run`
# ones of deploy/debian/packages.txt (Pango, fonts, poppler, python3-venv), read
# from that file rather than repeated here.

# ---------------------------------------------------------------- build stage --
FROM debian:bookworm-slim AS build
COPY deploy/debian/packages.txt /tmp/packages.txt
RUN apt-get update \
 && sed 's/#.*//' /tmp/packages.txt | awk '$2 == "run" { print $1 }' \
    | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md requirements-run.lock ./
COPY shared ./shared
COPY services ./services
# The services' part of the lock, every file checked against its hash (pip and
# the build backend included), then vanthu built from those pinned tools.
RUN python3 -m venv /opt/vanthu \
 && /opt/vanthu/bin/pip install --no-cache-dir --require-hashes -r requirements-run.lock \
 && /opt/vanthu/bin/pip install --no-cache-dir --no-deps --no-build-isolation .

# -------------------------------------------------------------- runtime stage --
FROM debian:bookworm-slim AS runtime
COPY deploy/debian/packages.txt /tmp/packages.txt
RUN apt-get update \
 && sed 's/#.*//' /tmp/packages.txt | awk '$2 == "run" { print $1 }' \
    | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/packages.txt \
 && groupadd --system --gid 10001 vanthu \
 && useradd --system --uid 10001 --gid vanthu --home-dir /var/lib/vanthu --shell /usr/sbin/nologin vanthu \
 && install -d -o vanthu -g vanthu /var/lib/vanthu
COPY --from=build /opt/vanthu /opt/vanthu
ENV PATH=/opt/vanthu/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VANTHU_VAR_DIR=/var/lib/vanthu \
    VANTHU_HOST=0.0.0.0 \
    XDG_CACHE_HOME=/tmp/cache
WORKDIR /var/lib/vanthu
USER 10001:10001
EXPOSE 8000 8001 8002
ENTRYPOINT ["vanthu"]
CMD ["serve", "intake"]

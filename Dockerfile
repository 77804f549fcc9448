# Slim image running `briefbot run` as a non-root user, with the SQLite data directory on a volume
# (or DATABASE_URL pointing at PostgreSQL: see compose.yaml).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# matplotlib's wheel brings the DejaVu fonts (Cyrillic included) that the pictures are drawn with
RUN pip install --no-cache-dir --prefix=/install ".[postgres]"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 briefbot && mkdir /data && chown briefbot /data
COPY --from=build /install /usr/local
# the labelled sets (a folder of YAML files): at first start the linking model trains on them
# (LINKING_LABELS);
# without it the image would link by the rules alone until curators' corrections arrive
COPY tests/fixtures/knowledge/ /usr/local/share/briefbot/linking-labels/
USER briefbot
WORKDIR /home/briefbot
ENV DATA_DIR=/data \
    LINKING_LABELS=/usr/local/share/briefbot/linking-labels \
    METRICS_PORT=9100 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
# 8443: webhook mode (`run --webhook URL --listen 0.0.0.0:8443`); 9100: /healthz and /metrics
EXPOSE 8443 9100
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["briefbot", "health"]
ENTRYPOINT ["briefbot"]
CMD ["run"]

# Slim image running `briefbot run` as a non-root user, with the database on a volume.
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
USER briefbot
WORKDIR /home/briefbot
ENV DATABASE_URL=sqlite:////data/briefbot.sqlite3 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
ENTRYPOINT ["briefbot"]
CMD ["run"]

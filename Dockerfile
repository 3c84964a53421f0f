# The team server in a container: `fulcrum serve` over a workspace mounted
# at /data (fulcrum.toml, people.csv and the exports; the SQLite store goes
# to /data/.fulcrum unless FULCRUM_DATABASE_URL names PostgreSQL).
#
#   docker build -t fulcrum .
#   docker run -d -p 8080:8080 -v "$PWD/my-workspace:/data" \
#     -e FULCRUM_DATABASE_URL -e FULCRUM_OIDC_CLIENT_SECRET fulcrum
#   docker exec -it CONTAINER fulcrum user add you@example.com --role admin
#
# Put TLS in front of it (a reverse proxy); without TLS add
# `serve --insecure-cookies` for a trial on your own machine only.

# The toolchain of rust-toolchain.toml.
FROM rust:1.95.0-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo install --locked --path crates/fulcrum --root /out

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /data --shell /usr/sbin/nologin fulcrum
COPY --from=build /out/bin/fulcrum /usr/local/bin/fulcrum
USER fulcrum
WORKDIR /data
VOLUME /data
# Every setting can come from the environment; see README's
# "Configuration from the environment".
ENV FULCRUM_WORKSPACE=/data \
    FULCRUM_LISTEN=0.0.0.0:8080
EXPOSE 8080
# SIGTERM (docker stop) lets requests in flight and a running import finish.
STOPSIGNAL SIGTERM
ENTRYPOINT ["fulcrum"]
CMD ["serve"]

# The forum as a container image: build with the Rust toolchain, run on a small Debian.
#   docker build -t forum .
# compose.yaml runs two of these behind a load balancer with MariaDB, Redis and Prometheus.

FROM rust:1-slim-bookworm AS builder
WORKDIR /build
# Everything the compiler reads: migrations, templates and the stylesheet are built into the binary.
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
RUN cargo build --release --locked \
    && cp target/release/forum /usr/local/bin/forum

FROM debian:bookworm-slim
# ca-certificates: for TLS to a managed database or Redis; nothing else is needed at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/forum --create-home forum
COPY --from=builder /usr/local/bin/forum /usr/local/bin/forum
USER forum
WORKDIR /var/lib/forum
ENV FORUM_ADDR=0.0.0.0:3000 \
    LOG_FORMAT=json
EXPOSE 3000
# No HEALTHCHECK: the image has no HTTP client. The load balancer checks /readyz itself
# (deploy/haproxy.cfg) and sends traffic only to instances whose database answers.
ENTRYPOINT ["/usr/local/bin/forum"]
CMD ["serve"]

# cloudready in a container: a static binary on an empty base, run as a non-root user.
#
#   docker build -t cloudready .
#   docker run --rm --network none -v "$PWD:/work:ro" cloudready assess inventory.yaml
#
# The tool needs no network at run time, so run it with `--network none`; mount the folder
# with the inventory at /work (read-write if you use -o).

# Rust 1.89 is the rust-version in Cargo.toml; on Alpine the host target is musl, so the
# binary is static.
FROM rust:1.89-alpine AS build
RUN apk add --no-cache musl-dev font-dejavu
WORKDIR /src
COPY . .
ENV CARGO_PROFILE_RELEASE_STRIP=true
RUN cargo build --release --locked \
    && cp target/release/cloudready /cloudready \
    && /cloudready --version \
    && mkdir /fonts && cp -R /usr/share/fonts/. /fonts/

FROM scratch
# Fonts for the charts in Word strategy documents (resvg looks in /usr/share/fonts).
COPY --from=build /fonts /usr/share/fonts
COPY --from=build /cloudready /usr/local/bin/cloudready
COPY LICENSE-MIT LICENSE-APACHE /usr/share/doc/cloudready/
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/cloudready"]
CMD ["--help"]

# Berth container image, built from the sources (nothing needs to be built on the host first):
#   docker build -t berth .                  or: docker compose up --build (docker-compose.yml)
# Run:  docker run -p 5000:5000 -p 8080:8080 -v /srv/berth:/var/lib/berth berth
# Berth runs as uid:gid 10001:10001 ("berth"). Started as root (the default), the entrypoint gives
# the data folder to 10001 when it is not already (so a fresh or root-owned bind mount works) and
# then drops to 10001; started with --user, it runs as that user and changes no ownership.
# The default config is the quick-start one (H2 + blobs under /var/lib/berth); for PostgreSQL pass
#   server /etc/berth/berth-postgres.yml   (see docker-compose.yml).
# Memory: BERTH_HEAP (default 384m) and BERTH_DIRECT_MEMORY (256m); an -Xmx or
# -XX:MaxDirectMemorySize in JAVA_TOOL_OPTIONS or BERTH_JAVA_OPTS wins over them.

# ---- build: the fat jar, with Maven on the JDK that CI tests with ------------------------------
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# Dependencies and plugins first, in a layer of their own that only a pom change rebuilds: the
# reactor packaged from its poms alone (empty modules) downloads everything the real build needs.
# (dependency:go-offline cannot do this: it tries to download the modules' own snapshots.)
COPY pom.xml ./
COPY cache-store/pom.xml cache-store/
COPY gateway/pom.xml gateway/
COPY sync-agent/pom.xml sync-agent/
COPY admin-api/pom.xml admin-api/
RUN mvn -B -ntp -q -DskipTests package && rm -rf target */target
COPY cache-store/src cache-store/src
COPY gateway/src gateway/src
COPY sync-agent/src sync-agent/src
COPY admin-api/src admin-api/src
RUN mvn -B -ntp -q -DskipTests package

# ---- run: the JRE, the jar, the configuration, the entrypoint ----------------------------------
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 berth \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/berth --shell /usr/sbin/nologin berth \
 && mkdir -p /var/lib/berth \
 && chown berth:berth /var/lib/berth
COPY conf/ /etc/berth/
COPY scripts/docker-entrypoint scripts/jvm-memory-flags /opt/berth/bin/
COPY --from=build /src/admin-api/target/berth.jar /opt/berth/berth.jar

ENV BERTH_DATA_DIR=/var/lib/berth
WORKDIR /var/lib/berth
VOLUME ["/var/lib/berth"]
# 5000: registry (OCI Distribution API); 8080: admin API, /admin/healthcheck, /admin/metrics.
# The ops port (8081: /admin/tasks, /admin/threads) listens on the container's loopback only.
EXPOSE 5000 8080

ENTRYPOINT ["/opt/berth/bin/docker-entrypoint"]
CMD ["server", "/etc/berth/berth.yml"]

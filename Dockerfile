# Berth container image. Build the jar on the host first (no Maven inside the image build):
#   ./berth build && docker build -t berth .
# Run:  docker run -p 5000:5000 -p 8080:8080 -v berth-data:/var/lib/berth berth
# The default config is the quick-start one (H2 + blobs under /var/lib/berth); for PostgreSQL pass
#   server /etc/berth/berth-postgres.yml   (see docker-compose.yml). Extra JVM flags: JAVA_TOOL_OPTIONS.
FROM eclipse-temurin:21-jre

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/berth --shell /usr/sbin/nologin berth \
 && mkdir -p /var/lib/berth \
 && chown berth:berth /var/lib/berth

COPY conf/ /etc/berth/
COPY admin-api/target/berth.jar /opt/berth/berth.jar

ENV BERTH_DATA_DIR=/var/lib/berth
WORKDIR /var/lib/berth
USER berth
VOLUME ["/var/lib/berth"]
# 5000: registry (OCI Distribution API); 8080: admin API and /admin/healthcheck
EXPOSE 5000 8080

ENTRYPOINT ["java", "@/etc/berth/jvm.options", "-jar", "/opt/berth/berth.jar"]
CMD ["server", "/etc/berth/berth.yml"]

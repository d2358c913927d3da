package io.berth.admin;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import io.dropwizard.metrics.servlets.MetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import java.util.EnumSet;

/**
 * Serves {@code /admin/healthcheck} and {@code /admin/metrics} on the admin API port too.
 *
 * <p>Dropwizard's own admin servlet (tasks, threads, health, metrics) listens on the ops
 * connector, which binds loopback by default because its tasks run without authentication.
 * Load balancers, {@code docker compose} and Kubernetes probes reach the API port, where these
 * two read-only endpoints have always been: the same registries, the same JSON, the same status
 * codes (health answers 500 when a check fails).
 */
final class ProbeEndpoints {
    static final String HEALTH_PATH = "/admin/healthcheck";
    static final String METRICS_PATH = "/admin/metrics";

    private ProbeEndpoints() {
    }

    /**
     * Adds both servlets to the application context; exact paths win over Jersey's {@code /*}.
     *
     * @param metricsGuard what must let a metrics request through first, or null for none
     */
    static void register(Environment env, Filter metricsGuard) {
        if (metricsGuard != null) {
            env.servlets().addFilter("probe-metrics-guard", metricsGuard)
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, METRICS_PATH);
        }
        env.servlets().addServlet("probe-healthcheck", new HealthCheckServlet(env.healthChecks()))
                .addMapping(HEALTH_PATH);
        env.servlets().addServlet("probe-metrics", new MetricsServlet(env.metrics()))
                .addMapping(METRICS_PATH);
    }
}

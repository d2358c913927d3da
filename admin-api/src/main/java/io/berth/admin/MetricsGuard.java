package io.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.admin.api.errors.ApiErrorCode;
import io.berth.admin.api.errors.ApiErrors;
import io.berth.admin.api.errors.ErrorBody;
import io.berth.gateway.auth.Authenticator;
import io.berth.gateway.auth.Principal;
import io.berth.store.error.RegistryException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * With {@code auth.openMetrics: false}: {@code /admin/metrics} on the admin API's port answers
 * only system admins (Basic credentials, through the same throttled sign-in as the API), in the
 * API's error shape otherwise. The ops port (loopback) keeps serving them without sign-in.
 */
final class MetricsGuard implements Filter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Authenticator authenticator;

    MetricsGuard(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String authorization = http.getHeader("Authorization");
        int status;
        String message;
        try {
            Principal who = authorization == null ? new Principal.Anonymous()
                    : authenticator.basic(authorization, http.getRemoteAddr());
            if (who instanceof Principal.User user && user.sysadmin()) {
                chain.doFilter(request, response);
                return;
            }
            status = who instanceof Principal.Anonymous ? 401 : 403;
            message = status == 401 ? "sign in as a system admin (Basic credentials) to read the metrics"
                    : who.name() + " may not read the metrics: they are for system admins (auth.openMetrics is false)";
        } catch (RegistryException e) {
            status = e.code().status();
            message = e.getMessage();
        }
        HttpServletResponse out = (HttpServletResponse) response;
        out.setStatus(status);
        out.setContentType("application/json");
        if (status == 401) {
            out.setHeader("WWW-Authenticate", ApiErrors.CHALLENGE);
        }
        JSON.writeValue(out.getOutputStream(), ErrorBody.of(ApiErrorCode.of(status), message));
    }
}

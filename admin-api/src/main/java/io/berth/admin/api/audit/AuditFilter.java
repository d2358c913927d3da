package io.berth.admin.api.audit;

import io.berth.store.audit.AuditQuery;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import jakarta.ws.rs.QueryParam;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The query parameters that filter an audit log listing, each optional (absent or empty: any):
 * {@code user}, {@code project}, {@code repository}, {@code action}, {@code result}
 * ({@code success} or {@code failure}), and the time range {@code from} (at or after) and
 * {@code to} (before) as ISO-8601 instants such as {@code 2025-01-31T12:00:00Z}. Taken as text, so
 * that a bad value is a 400 saying what is expected rather than Jersey's 404.
 */
public final class AuditFilter {
    @QueryParam("user")
    String user;
    @QueryParam("project")
    String project;
    @QueryParam("repository")
    String repository;
    @QueryParam("action")
    String action;
    @QueryParam("result")
    String result;
    @QueryParam("from")
    String from;
    @QueryParam("to")
    String to;

    /** The store's query for these parameters; a 400 {@code INVALID_INPUT} naming the one that is wrong. */
    AuditQuery toQuery() {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw invalid("from (" + start + ") must be before to (" + end + ")");
        }
        return new AuditQuery(given(user), given(project), given(repository), given(action), success(), start, end);
    }

    private Boolean success() {
        String value = given(result);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "success" -> true;
            case "failure" -> false;
            default -> throw invalid("result must be 'success' or 'failure', not '" + value + "'");
        };
    }

    /** An instant with {@code Z} or an offset ({@code +02:00}); anything else is refused. */
    private static Instant instant(String name, String value) {
        String text = given(value);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, not '" + text + "'"
                    + (text.contains(" ") ? " (an offset's + is written %2B in a URL)" : ""));
        }
    }

    private static String given(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}

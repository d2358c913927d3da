package io.berth.admin.api.errors;

import java.util.List;

/**
 * The admin API's one error body, {@code {"errors":[{"code":"…","message":"…"}]}}, in the shape of
 * the registry's own (CNCF Distribution's) so that one client reads both. The message says what to
 * do; it never carries a stack trace, a password, a hash or a token.
 */
public record ErrorBody(List<Error> errors) {
    public ErrorBody {
        errors = List.copyOf(errors);
    }

    /** One error: its code ({@link ApiErrorCode}) and what to do about it. */
    public record Error(String code, String message) {
    }

    public static ErrorBody of(ApiErrorCode code, String message) {
        return new ErrorBody(List.of(new Error(code.name(), message)));
    }
}

package io.berth.admin.api.json;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

/** Checks of request bodies' fields that JSON binding cannot make: which are required. */
public final class Fields {
    private Fields() {
    }

    /** {@code value}, or 400 {@code INVALID_INPUT} naming the missing field. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the field '" + field + "' is required");
        }
        return value;
    }
}

package io.berth.admin.api.access;

import io.berth.gateway.auth.Principal;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

/**
 * How the admin API says no: 401 to a caller who did not sign in (signing in may help), 403
 * {@code DENIED} to one who did.
 */
public final class Refusals {
    private Refusals() {
    }

    /** Goes on when {@code allowed}; otherwise refuses {@code who} to {@code doWhat} ("list the users"). */
    public static void require(boolean allowed, Principal who, String doWhat) {
        if (!allowed) {
            throw refusal(who, doWhat);
        }
    }

    public static RegistryException refusal(Principal who, String doWhat) {
        if (who instanceof Principal.Anonymous) {
            return new RegistryException(ErrorCode.UNAUTHORIZED, "sign in to " + doWhat);
        }
        return new RegistryException(ErrorCode.DENIED, "'" + who.name() + "' may not " + doWhat);
    }
}

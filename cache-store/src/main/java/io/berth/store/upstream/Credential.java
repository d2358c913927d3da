package io.berth.store.upstream;

/**
 * What Berth signs in to an upstream registry with. Sent only to that registry and to a token
 * realm on the same registrable domain; stored encrypted; never returned by the API or logged
 * ({@link #toString} hides the secret).
 */
public sealed interface Credential {
    /** A username and password (or a personal access token used as the password). */
    record Basic(String username, String password) implements Credential {
        @Override
        public String toString() {
            return "Basic[" + username + ", ****]";
        }
    }

    /** A bearer token the upstream accepts as it is, without a token dance. */
    record Token(String token) implements Credential {
        @Override
        public String toString() {
            return "Token[****]";
        }
    }
}

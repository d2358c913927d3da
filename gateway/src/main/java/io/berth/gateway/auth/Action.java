package io.berth.gateway.auth;

/**
 * What a request does to a resource, named as in the actions of the Docker token spec's scopes
 * ({@code repository:library/alpine:pull,push}).
 */
public enum Action {
    /** Read manifests, blobs, tags and referrers. */
    PULL("pull"),
    /** Upload blobs and push manifests (cancelling one's own upload included). */
    PUSH("push"),
    /** Delete manifests, tags and blob links. */
    DELETE("delete"),
    /** List every repository: the token spec writes the catalog's scope as {@code registry:catalog:*}. */
    CATALOG("*");

    private final String token;

    Action(String token) {
        this.token = token;
    }

    /** The action as a scope writes it. */
    public String token() {
        return token;
    }

    /** The action a scope names; empty for one Berth does not know (a scope may name others). */
    public static java.util.Optional<Action> of(String token) {
        for (Action action : values()) {
            if (action.token.equals(token)) {
                return java.util.Optional.of(action);
            }
        }
        return java.util.Optional.empty();
    }
}

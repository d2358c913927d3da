package io.berth.gateway.error;

/** A protocol-level failure the gateway itself detects (bad query parameter, bad header). */
public final class OciException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final OciError error;
    private final String detail;

    public OciException(OciError error, String message, String detail) {
        super(message, null, false, false);
        this.error = error;
        this.detail = detail;
    }

    public OciError error() {
        return error;
    }

    public String detail() {
        return detail;
    }
}

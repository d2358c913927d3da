package io.berth.gateway.http;

/**
 * Where one connection is in serving its current request. One request is served at a time;
 * requests a client pipelines meanwhile wait, decoded, in the connection's inbound queue, and
 * reading stays paused while anything waits there. The transitions:
 *
 * <pre>
 * AWAITING_HEAD  a head arrives (a malformed one too)            → ADMITTING
 * ADMITTING      let in, a body to come                          → ADMITTED
 *                let in, no body                                 → RESPONDING
 * ADMITTED       the handler asks for the body                   → RECEIVING
 * RECEIVING      the last of the body arrives                    → RESPONDING
 * RESPONDING     the answer is written, the connection kept      → AWAITING_HEAD
 *                the answer is written, the connection not kept  → CLOSED
 *
 * ADMITTING, ADMITTED, RECEIVING: answered (refused, unknown route, a handler's early answer,
 * too large, no memory, a timeout) before the whole body arrived, and its rest is
 *                small, of known length, and sure to come        → DISCARDING
 *                otherwise, or the framing broke                 → LINGERING
 *                no body at all                                  → RESPONDING
 * DISCARDING     the rest is dropped and the answer written      → AWAITING_HEAD
 * LINGERING      the client closes, or a lingering limit is hit  → CLOSED
 * any            the connection closes                           → CLOSED
 * </pre>
 */
enum ConnectionState {
    /** Between requests: reading, waiting for the next request head. */
    AWAITING_HEAD,
    /**
     * The head is routed and the access check runs. Reading is paused; any of the body already
     * decoded is held, unread by anyone.
     */
    ADMITTING,
    /**
     * Access granted and the handler called; it has not asked for the body (yet). Reading stays
     * paused, so a body its handler answers without is not read for nothing, and a client that
     * waits for {@code 100 Continue} gets none.
     */
    ADMITTED,
    /** The body flows into the sink the handler asked for: collected whole, or streamed. */
    RECEIVING,
    /** The whole request is in; the response is awaited, or being written. */
    RESPONDING,
    /**
     * The response was given before the whole body arrived, and what is left of it is small and
     * of known length: it is read and dropped so that the connection can serve the next request.
     */
    DISCARDING,
    /**
     * The response was given before the whole body arrived, and the connection closes after it,
     * gently: see {@link LingeringClose}.
     */
    LINGERING,
    /** The connection is closed. */
    CLOSED
}

package io.berth.store.proxy.preheat;

/** Why a reference of a preheat could not be fetched, in words for its user. */
final class PreheatFailure extends RuntimeException {
    PreheatFailure(String message) {
        super(message, null, false, false);
    }
}

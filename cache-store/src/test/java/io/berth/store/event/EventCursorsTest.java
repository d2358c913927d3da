package io.berth.store.event;

import io.berth.store.testing.OnH2AndPostgres;
import io.berth.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lease rules that let several instances share a consumer, on both databases. */
@OnH2AndPostgres
class EventCursorsTest extends EventTestBase {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private EventCursors cursors;

    EventCursorsTest(TestDatabase database) {
        super(database);
    }

    @BeforeEach
    void createCursor() {
        cursors = new EventCursors(tx);
        cursors.create("audit", 7, T0);
    }

    private OptionalLong claim(String owner, Instant now) {
        return cursors.claim("audit", owner, now, now.plus(LEASE));
    }

    @Test
    void create_whenTheCursorExists_keepsItsPosition() {
        cursors.create("audit", 0, T0);

        assertEquals(7, cursors.find("audit").orElseThrow().position());
    }

    @Test
    void claim_heldByAnother_failsUntilTheLeaseExpires() {
        assertEquals(OptionalLong.of(7), claim("a", T0));

        assertTrue(claim("b", T0.plus(LEASE)).isEmpty(), "a's lease still holds at its last instant");
        assertEquals(OptionalLong.of(7), claim("a", T0.plusSeconds(10)), "the holder renews");
        assertTrue(claim("b", T0.plus(LEASE).plusSeconds(1)).isEmpty(), "renewed: not expired yet");
        assertEquals(OptionalLong.of(7), claim("b", T0.plus(LEASE).plusSeconds(11)), "expired: b takes over");
        assertEquals("b", cursors.find("audit").orElseThrow().owner());
    }

    @Test
    void advance_afterAnotherTookOver_isRefusedAndLeavesThePosition() {
        claim("a", T0);
        assertTrue(cursors.advance("audit", "a", 9, T0, T0.plus(LEASE)));
        Instant later = T0.plus(LEASE).plusSeconds(1);
        claim("b", later);

        assertFalse(cursors.advance("audit", "a", 12, later, later.plus(LEASE)));
        assertEquals(9, cursors.find("audit").orElseThrow().position());
    }

    @Test
    void release_freesTheLeaseAtOnce_butOnlyForItsHolder() {
        claim("a", T0);
        cursors.release("audit", "b");
        assertTrue(claim("b", T0).isEmpty());

        cursors.release("audit", "a");

        assertNull(cursors.find("audit").orElseThrow().owner());
        assertEquals(OptionalLong.of(7), claim("b", T0));
    }
}

package io.berth.gateway.v2;

import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The page size a listing's {@code n} asks for; the listings' own tests cover the pages and links. */
class PaginationTest {
    @Test
    void withoutN_aPageHoldsTheMaximum() {
        assertEquals(Pagination.MAX_LIMIT, Pagination.limit(null));
    }

    @Test
    void nWithinTheMaximum_isTheLimit() {
        assertEquals(0, Pagination.limit("0"));
        assertEquals(7, Pagination.limit("007"));
        assertEquals(Pagination.MAX_LIMIT, Pagination.limit(Integer.toString(Pagination.MAX_LIMIT)));
    }

    @Test
    void nAboveTheMaximum_isCappedSoTheRestFollowsByLink() {
        assertEquals(Pagination.MAX_LIMIT, Pagination.limit(Integer.toString(Pagination.MAX_LIMIT + 1)));
        assertEquals(Pagination.MAX_LIMIT, Pagination.limit("2147483648"));
        assertEquals(Pagination.MAX_LIMIT, Pagination.limit("99999999999999999999"));
    }

    @Test
    void nThatIsNoWholeNumber_isRejected() {
        assertThrows(RegistryException.class, () -> Pagination.limit("-1"));
        assertThrows(RegistryException.class, () -> Pagination.limit("1e3"));
    }
}

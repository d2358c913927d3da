package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Harbor's six-field crons (seconds first, seconds 0): what is accepted, when it fires, and what is refused. */
class CronScheduleTest {
    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 0 */6 * * *        | 2026-03-01T01:00:00Z | 2026-03-01T06:00:00Z
            0 0 */6 * * *        | 2026-03-01T06:00:00Z | 2026-03-01T12:00:00Z
            0 30 2 * * MON-FRI   | 2026-03-06T03:00:00Z | 2026-03-09T02:30:00Z
            0 0 0 1 * ?          | 2026-03-01T00:00:01Z | 2026-04-01T00:00:00Z
            0 */15 * * * *       | 2026-03-01T10:07:00Z | 2026-03-01T10:15:00Z
            0 0 12 * * 0         | 2026-03-02T00:00:00Z | 2026-03-08T12:00:00Z
            0 0 12 * * 7         | 2026-03-02T00:00:00Z | 2026-03-08T12:00:00Z
            """)
    void aValidCron_firesWhenItSays_inUtc(String cron, String after, String next) {
        assertEquals(Optional.of(Instant.parse(next)), CronSchedule.next(cron, Instant.parse(after)));
    }

    @Test
    void spacesAreNormalised() {
        assertEquals("0 0 */6 * * *", CronSchedule.check("  0  0 */6 *\t* *  "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', emptyValue = "", textBlock = """
            0 */6 * * *           | 5 fields
            0 */6 * * *           | put "0 " before
            0 0 0 */6 * * *       | 7 fields
            * 0 */6 * * *         | must have 0 in its first (seconds) field
            30 0 */6 * * *        | must have 0 in its first (seconds) field
            0 0 25 * * *          | is not valid
            0 0 */6 * * NOPE      | is not valid
            0 61 * * * *          | is not valid
            ``                    | needs a cron
            """)
    void anInvalidCron_isRefused_sayingWhatIsExpected(String cron, String saying) {
        RegistryException e = assertThrows(RegistryException.class, () -> CronSchedule.check(cron));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains(saying), e.getMessage());
    }
}

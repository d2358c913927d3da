package io.berth.sync.policy;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The cron expressions of scheduled policies, as Harbor writes them: six fields, seconds first
 * ({@code second minute hour day-of-month month day-of-week}), read in UTC. {@code 0 0 *}{@code /6 * * *}
 * runs every six hours on the hour; {@code 0 30 2 * * MON-FRI} at 02:30 on weekdays. As in Harbor the
 * seconds field is {@code 0}, so that a policy runs at most once a minute. Fields take numbers,
 * ranges ({@code 1-5}), lists ({@code 1,15}), steps ({@code *}{@code /10}), {@code *}, {@code ?}, and
 * month and day names; day-of-week counts from 0 or 7 (Sunday). The same dialect as Spring's
 * {@code @Scheduled} (cron-utils' {@code SPRING53}), which db-scheduler reads too.
 */
public final class CronSchedule {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
            CronType.SPRING53));
    private static final String EXAMPLE = "e.g. \"0 0 */6 * * *\" for every six hours";

    private CronSchedule() {
    }

    /** {@code cron} with its fields separated by single spaces; INVALID_INPUT saying what is wrong. */
    public static String check(String cron) {
        if (cron == null || cron.isBlank()) {
            throw invalid("a scheduled trigger needs a cron: six fields, seconds first (" + EXAMPLE + ")");
        }
        String[] fields = cron.strip().split("\\s+");
        String normalised = String.join(" ", fields);
        if (fields.length != 6) {
            throw invalid("the cron '" + normalised + "' has " + fields.length + " fields; Berth reads six, seconds"
                    + " first, as Harbor does: second minute hour day-of-month month day-of-week (" + EXAMPLE
                    + (fields.length == 5 ? "; put \"0 \" before a five-field crontab line" : "") + ")");
        }
        if (!fields[0].equals("0")) {
            throw invalid("the cron '" + normalised + "' must have 0 in its first (seconds) field, as in Harbor:"
                    + " a policy runs at most once a minute");
        }
        try {
            PARSER.parse(normalised).validate();
        } catch (IllegalArgumentException e) {
            throw invalid("the cron '" + normalised + "' is not valid: " + e.getMessage() + " (fields: second minute"
                    + " hour day-of-month month day-of-week; " + EXAMPLE + ")");
        }
        return normalised;
    }

    /** When the checked {@code cron} fires next after {@code after} (UTC), if ever. */
    public static Optional<Instant> next(String cron, Instant after) {
        Cron parsed = PARSER.parse(check(cron));
        return ExecutionTime.forCron(parsed).nextExecution(after.atZone(ZoneOffset.UTC)).map(t -> t.toInstant());
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}

package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * When a policy runs: when asked ({@code manual}), on a schedule ({@code scheduled}, with a cron
 * expression as {@link CronSchedule} reads it), or on every change at the source
 * ({@code event_based}: pushes, tag deletions and label changes).
 *
 * @param type what starts it
 * @param cron the schedule, normalised; null unless scheduled
 */
public record Trigger(Type type, String cron) {
    /** What starts a policy, named as the API and Harbor write it. */
    public enum Type {
        MANUAL("manual"),
        SCHEDULED("scheduled"),
        EVENT_BASED("event_based");

        private final String wireName;

        Type(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The type written {@code name}; INVALID_INPUT listing the types otherwise. */
        public static Type ofWireName(String name) {
            for (Type type : values()) {
                if (type.wireName.equals(name)) {
                    return type;
                }
            }
            throw new RegistryException(ErrorCode.INVALID_INPUT, "a trigger's type is one of " + Arrays.stream(values())
                    .map(Type::wireName).collect(Collectors.joining(", ")) + ", not '" + name + "'");
        }
    }

    public Trigger {
        Objects.requireNonNull(type, "type");
    }

    public static Trigger manual() {
        return new Trigger(Type.MANUAL, null);
    }

    public static Trigger eventBased() {
        return new Trigger(Type.EVENT_BASED, null);
    }

    /** A schedule; INVALID_INPUT saying what is wrong with {@code cron}. */
    public static Trigger scheduled(String cron) {
        return new Trigger(Type.SCHEDULED, CronSchedule.check(cron));
    }

    /**
     * A checked trigger of {@code type}: a scheduled one needs {@code cron}, the others take none
     * (null or empty, as Harbor's exports have it).
     */
    public static Trigger of(Type type, String cron) {
        Objects.requireNonNull(type, "type");
        if (type == Type.SCHEDULED) {
            return scheduled(cron);
        }
        if (cron != null && !cron.isBlank()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "only a scheduled trigger takes a cron, not a "
                    + type.wireName() + " one: give {\"type\":\"scheduled\",\"cron\":\"" + cron.strip() + "\"}"
                    + " to run on that schedule");
        }
        return new Trigger(type, null);
    }
}

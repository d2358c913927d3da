package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.sync.filter.FilterType;
import io.berth.sync.filter.PolicyFilter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A policy's fields checked before anything is stored: each mistake refused, saying what to change. */
class PolicyRulesTest {
    @Test
    void aValidPolicy_passes_inEitherDirection_withEveryTrigger() {
        PolicyRules.check(new DraftBuilder(3).build());
        DraftBuilder pull = new DraftBuilder(3);
        pull.destRegistryId = null;
        pull.sourceRegistryId = 7L;
        pull.trigger = Trigger.scheduled("0 0 */6 * * *");
        pull.destNamespace = "mirror/hub";
        pull.destNamespaceReplaceCount = 1;
        pull.concurrency = 32;
        pull.bandwidthLimitKiBps = 1024;
        PolicyRules.check(pull.build());
        DraftBuilder event = new DraftBuilder(3);
        event.trigger = Trigger.eventBased();
        event.concurrency = 1;
        PolicyRules.check(event.build());
    }

    @Test
    void eachMistake_isInvalidInput_sayingWhatToChange() {
        Map<String, Consumer<DraftBuilder>> mistakes = new LinkedHashMap<>();
        mistakes.put("'name' is required", d -> d.name = " ");
        mistakes.put("may not start or end with spaces", d -> d.name = " padded");
        mistakes.put("the limit is 255", d -> d.name = "n".repeat(256));
        mistakes.put("the limit is 1024", d -> d.description = "d".repeat(1025));
        mistakes.put("give destRegistryId to push", d -> d.destRegistryId = null);
        mistakes.put("leave sourceRegistryId null to push", d -> d.sourceRegistryId = 5L);
        mistakes.put("one platform filter", d -> d.filters = List.of(
                PolicyFilter.of(FilterType.PLATFORM, List.of("linux/amd64"), null),
                PolicyFilter.of(FilterType.PLATFORM, List.of("linux/arm64"), null)));
        mistakes.put("'trigger' is required", d -> d.trigger = null);
        mistakes.put("destNamespace 'Mirror'", d -> d.destNamespace = "Mirror");
        mistakes.put("destNamespace 'mirror/'", d -> d.destNamespace = "mirror/");
        mistakes.put("-1 (keep only", d -> d.destNamespaceReplaceCount = -2);
        mistakes.put("0 to 127", d -> d.destNamespaceReplaceCount = 128);
        mistakes.put("1 to 32 (default 4); not 0", d -> d.concurrency = 0);
        mistakes.put("1 to 32 (default 4); not 33", d -> d.concurrency = 33);
        mistakes.put("0 for none; not -1", d -> d.bandwidthLimitKiBps = -1);

        for (Map.Entry<String, Consumer<DraftBuilder>> mistake : mistakes.entrySet()) {
            DraftBuilder draft = new DraftBuilder(3);
            mistake.getValue().accept(draft);

            RegistryException e = assertThrows(RegistryException.class, () -> PolicyRules.check(draft.build()),
                    mistake.getKey());

            assertEquals(ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains(mistake.getKey()), mistake.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void triggers_takeACronOnlyWhenScheduled() {
        assertEquals(Trigger.manual(), Trigger.of(Trigger.Type.MANUAL, ""));
        assertEquals(new Trigger(Trigger.Type.SCHEDULED, "0 0 1 * * *"), Trigger.of(Trigger.Type.SCHEDULED,
                "0 0 1 * * *"));
        RegistryException e = assertThrows(RegistryException.class,
                () -> Trigger.of(Trigger.Type.EVENT_BASED, "0 0 1 * * *"));
        assertTrue(e.getMessage().contains("only a scheduled trigger takes a cron"), e.getMessage());
        assertTrue(assertThrows(RegistryException.class, () -> Trigger.Type.ofWireName("hourly")).getMessage()
                .contains("manual, scheduled, event_based"));
    }
}

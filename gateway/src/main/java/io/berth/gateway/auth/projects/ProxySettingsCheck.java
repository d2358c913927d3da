package io.berth.gateway.auth.projects;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.proxy.ProxySettings;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What proxy settings must hold to be stored: each is refused with INVALID_INPUT naming the field. */
final class ProxySettingsCheck {
    /** The allowlist's column holds this many characters (patterns joined by line breaks). */
    static final int ALLOWLIST_CHARACTERS = 4000;
    /** The longest freshness window: past it, a tag would practically never be revalidated. */
    static final Duration MAX_FRESHNESS = Duration.ofDays(365);
    static final String REGEX_PREFIX = "regex:";

    private ProxySettingsCheck() {
    }

    static void check(ProxySettings settings) {
        if (settings.registryId() <= 0) {
            throw invalid("proxy.registryId must be the id of a registry endpoint (a positive number)");
        }
        if (settings.freshness().isNegative() || settings.freshness().compareTo(MAX_FRESHNESS) > 0) {
            throw invalid("proxy.freshness must be between 0 s (revalidate every pull) and 365 d");
        }
        if (settings.sizeBudget() < 0) {
            throw invalid("proxy.sizeBudget must be 0 (no bound) or more");
        }
        if (settings.maxAge() != null && !settings.maxAge().isPositive()) {
            throw invalid("proxy.maxAge must be more than 0 s, or left out for no bound");
        }
        int characters = 0;
        for (String pattern : settings.allowlist()) {
            if (pattern == null || pattern.isBlank() || pattern.chars().anyMatch(Character::isWhitespace)) {
                throw invalid("proxy.allowlist: each pattern is a glob (library/*, **) or regex:<expression>,"
                        + " without blanks; '" + pattern + "' is not");
            }
            if (pattern.startsWith(REGEX_PREFIX)) {
                try {
                    Pattern.compile(pattern.substring(REGEX_PREFIX.length()));
                } catch (PatternSyntaxException e) {
                    throw invalid("proxy.allowlist: '" + pattern + "' is not a valid regular expression: "
                            + e.getDescription());
                }
            }
            characters += pattern.length() + 1;
        }
        if (characters > ALLOWLIST_CHARACTERS + 1) {
            throw invalid("proxy.allowlist holds at most " + ALLOWLIST_CHARACTERS + " characters of patterns:"
                    + " use fewer, broader ones");
        }
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}

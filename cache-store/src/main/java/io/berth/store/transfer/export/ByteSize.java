package io.berth.store.transfer.export;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as {@code --split} takes them: a number of bytes, or with {@code K}, {@code M}, {@code G},
 * {@code T} (optionally followed by {@code iB} or {@code B}) in powers of 1024: {@code 4G} is
 * 4 GiB. (FAT32 takes files below 4 GiB only: split at {@code 4000M} for it.)
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([KMGT]?)(?:I?B)?");

    private ByteSize() {
    }

    /** The bytes a size names; INVALID_INPUT says how to write one. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + text + "' is not a size: write bytes, or a"
                    + " number with K, M, G or T (powers of 1024), e.g. 4G or 700M");
        }
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(m.group(1));
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + text + "' is too large a size");
        }
        return value << shift;
    }
}

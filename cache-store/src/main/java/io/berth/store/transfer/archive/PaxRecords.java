package io.berth.store.transfer.archive;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The records of a PAX extended header: {@code "<length> <key>=<value>\n"}, lengths in bytes. */
final class PaxRecords {
    private PaxRecords() {
    }

    static Map<String, String> parse(String text, String where) throws ArchiveException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < bytes.length && bytes[at] != 0) {
            int space = at;
            while (space < bytes.length && bytes[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(bytes, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw damaged(where);
            }
            if (length <= space - at + 1 || at + length > bytes.length || bytes[at + length - 1] != '\n') {
                throw damaged(where);
            }
            String record = new String(bytes, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals <= 0) {
                throw damaged(where);
            }
            records.put(record.substring(0, equals), record.substring(equals + 1));
            at += length;
        }
        return records;
    }

    private static ArchiveException damaged(String where) {
        return new ArchiveException("the PAX extended header at " + where + " is malformed: the archive is damaged");
    }
}

package io.berth.sync.policy;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names at the destination as Harbor gives them: the namespace replaces leading components, the image's name stays. */
class DestinationNamesTest {
    @ParameterizedTest(name = "{0} under {1} replacing {2} -> {3}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            a/b/c/image   | n          | -1 | n/image
            a/b/c/image   | n          |  0 | n/a/b/c/image
            a/b/c/image   | n          |  1 | n/b/c/image
            a/b/c/image   | n          |  2 | n/c/image
            a/b/c/image   | n          |  3 | n/image
            a/b/c         | mirror     |  1 | mirror/b/c
            a/b/c         | mirror     |  0 | mirror/a/b/c
            a/b/c         | mirror     | -1 | mirror/c
            team/app      | site-b/eu  |  1 | site-b/eu/app
            team/app      | site-b/eu  | -1 | site-b/eu/app
            team/app      | site-b/eu  |  0 | site-b/eu/team/app
            app           | mirror     |  0 | mirror/app
            app           | mirror     | -1 | mirror/app
            team/app      | ''         | -1 | team/app
            team/app      | ''         |  5 | team/app
            """)
    void rewrite(String repository, String namespace, int count, String expected) {
        assertEquals(expected, DestinationNames.rewrite(repository, namespace, count));
    }

    @ParameterizedTest(name = "{0} replacing {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a/b/c/image | 4
            team/app    | 2
            app         | 1
            """)
    void aCountLargerThanThePath_isRefused_sayingHowToFixIt(String repository, int count) {
        RegistryException e = assertThrows(RegistryException.class,
                () -> DestinationNames.rewrite(repository, "n", count));

        assertEquals(ErrorCode.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("'" + repository + "'") && e.getMessage().contains("use -1"),
                e.getMessage());
    }
}

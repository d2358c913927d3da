package io.berth.sync.filter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Harbor-style globs, anchored, on repository names and tags: a table of pattern, text, whether it matches. */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            team/**                  | team/app                 | true
            team/**                  | team/a/b/c               | true
            team/**                  | team                     | true
            team/**                  | teams/app                | false
            team/**                  | other/team/app           | false
            team/*                   | team/app                 | true
            team/*                   | team/a/b                 | false
            **                       | a/b/c                    | true
            **                       | ''                       | true
            **/app                   | app                      | true
            **/app                   | x/y/app                  | true
            **/app                   | x/yapp                   | false
            a/**/b                   | a/b                      | true
            a/**/b                   | a/x/y/b                  | true
            a/**/b                   | a/x/y/c                  | false
            library/{nginx,redis}    | library/nginx            | true
            library/{nginx,redis}    | library/redis            | true
            library/{nginx,redis}    | library/nginx-alpine     | false
            library/{nginx,redis}    | library/mysql            | false
            {team,ops}/**            | ops/tools/cli            | true
            {team,ops}/**            | dev/app                  | false
            library/{nginx*,{redis,valkey}} | library/valkey    | true
            library/{nginx*,{redis,valkey}} | library/nginx-x   | true
            library/ng?nx            | library/nginx            | true
            library/ng?nx            | library/ngiinx           | false
            a?b                      | a/b                      | false
            v*                       | v1.2.3                   | true
            v*                       | latest                   | false
            v1.*                     | v1.2                     | true
            v1.*                     | v10                      | false
            v**                      | v1/x                     | false
            *                        | ''                       | true
            *                        | latest                   | true
            *-rc                     | 1.0-rc                   | true
            {latest,stable}          | stable                   | true
            {latest,stable}          | stable2                  | false
            v[0-9]*                  | v3                       | true
            v[0-9]*                  | vx                       | false
            v[!0-9]*                 | vx                       | true
            v[^0-9]*                 | v3                       | false
            a[/]b                    | a/b                      | false
            1.0\\*                   | 1.0*                     | true
            1.0\\*                   | 1.0x                     | false
            a+b                      | a+b                      | true
            a+b                      | aab                      | false
            (x)                      | (x)                      | true
            x$                       | x$                       | true
            App                      | app                      | false
            ''                       | ''                       | true
            ''                       | x                        | false
            """)
    void matches(String pattern, String text, boolean expected) {
        assertEquals(expected, Glob.compile(pattern).matches(text), pattern + " ~ " + text);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            library/{nginx,redis     | never closed
            library/[a-z             | never closed
            library/nginx}           | closes no
            {a,b}}                   | closes no
            v1\\                     | escapes nothing
            {{{{{{{{{{{a}}}}}}}}}}}  | nested more than
            """)
    void invalidPatterns_areRefused_sayingWhy(String pattern, String saying) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compile(pattern));

        assertTrue(e.getMessage().contains(saying), e.getMessage());
        assertTrue(e.getMessage().contains(pattern), e.getMessage());
    }
}

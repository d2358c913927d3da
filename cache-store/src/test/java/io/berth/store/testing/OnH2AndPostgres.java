package io.berth.store.testing;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs every test of a class once on H2 and once on PostgreSQL. The class takes its
 * {@link TestDatabase} in its constructor (as {@link DatabaseTestBase} and {@link RegistryTestBase}
 * do); PostgreSQL skips, or fails under {@code BERTH_E2E_REQUIRED=1}, without a URL.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ParameterizedClass(name = "on {0}")
@EnumSource(value = TestDatabase.class, names = {"H2", "POSTGRES"})
public @interface OnH2AndPostgres {
}

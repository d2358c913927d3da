package io.berth.admin.api.access;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that callers who did not sign in may reach; every other endpoint answers them
 * 401 before it runs. The endpoint still decides what an anonymous caller sees (public projects only).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PermitAnonymous {
}

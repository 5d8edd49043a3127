package io.ninetail.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code String} field of a test that uses {@link NatsServerResource}: the server's URL. For
 * {@code @QuarkusIntegrationTest}s, which run outside the app and cannot read its configuration.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface NatsUrl {
}
